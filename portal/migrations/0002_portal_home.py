"""The portal's home page becomes the default Site's root page (the public front page at ``/``).

Wagtail's own first migration leaves a plain "Welcome to your new Wagtail site!" page there; it is replaced
when it is still the untouched default (no children, plain Page type).  Other top-level pages (the books'
index, say) are left alone.
"""

from django.db import migrations


def create_home(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    PortalHomePage = apps.get_model("portal", "PortalHomePage")
    if PortalHomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    page_type = ContentType.objects.get_for_model(Page)
    welcome = Page.objects.filter(depth=2, content_type=page_type, numchild=0, slug="home").first()
    sites = Site.objects.filter(root_page=welcome) if welcome else Site.objects.none()
    if welcome is not None:
        sites_ids = list(sites.values_list("pk", flat=True))
        Site.objects.filter(pk__in=sites_ids).delete()
        welcome.delete()
    last = Page.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    step = 1 if last is None else int(last.path[-4:], 36) + 1
    path = root.path + _base36(step).rjust(4, "0")
    home_type, _ = ContentType.objects.get_or_create(app_label="portal", model="portalhomepage")
    locale = Locale.objects.order_by("pk").first()
    home = PortalHomePage.objects.create(
        title="Cổng thông tin lịch sử Đảng", draft_title="Cổng thông tin lịch sử Đảng", slug="cong-thong-tin",
        content_type=home_type, path=path, depth=2, numchild=0, url_path="/cong-thong-tin/", live=True,
        locale_id=locale.pk if locale else None,
        intro="Nghiên cứu, biên soạn, tuyên truyền, giáo dục lịch sử Đảng bộ và lịch sử địa phương.")
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True,
                            site_name="Sử liệu")
    else:
        site.root_page_id = home.pk
        site.save(update_fields=["root_page"])


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_home, migrations.RunPython.noop)]
