"""Set up the portal: the home page at the Site root, a topic, "Văn bản mới", editorial groups and workflow.

Idempotent. The editorial chain is Wagtail's own: writers (Phóng viên) write and submit, editors (Biên tập)
approve, leaders (Lãnh đạo) approve last, and the last approval publishes (or schedules, with "go live at").
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.audit import audit
from core.wagtail import tree_root
from orgs.policy import ensure_can
from portal import models as pm

WRITER_GROUP = "Cổng TT: Phóng viên"
EDITOR_GROUP = "Cổng TT: Biên tập viên"
LEADER_GROUP = "Cổng TT: Lãnh đạo"
WORKFLOW_NAME = "Duyệt bài cổng thông tin"
GROUP_PAGE_PERMISSIONS = {
    WRITER_GROUP: ["add_page", "change_page"],
    EDITOR_GROUP: ["add_page", "change_page", "lock_page", "unlock_page"],
    LEADER_GROUP: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MODEL_PERMISSIONS = {
    WRITER_GROUP: ["wagtailadmin.access_admin", "wagtailimages.add_image", "wagtailimages.choose_image",
                   "archive.view_item"],
    EDITOR_GROUP: ["wagtailadmin.access_admin", "wagtailimages.add_image", "wagtailimages.choose_image",
                   "wagtailimages.change_image", "archive.view_item", "portal.moderate_comment"],
    LEADER_GROUP: ["wagtailadmin.access_admin", "wagtailimages.add_image", "wagtailimages.choose_image",
                   "wagtailimages.change_image", "archive.view_item", "portal.moderate_comment"],
}


def home_page() -> Any:
    """The live PortalHomePage of the default Site (created by the portal's migration)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, pm.PortalHomePage):
        return site.root_page.specific
    home = pm.PortalHomePage.objects.first()
    if home is None:
        home = tree_root().add_child(instance=pm.PortalHomePage(title="Cổng thông tin lịch sử Đảng", slug="cong-thong-tin"))
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                            site_name="Sử liệu")
    else:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home


def _child(parent: Any, model: type, *, slug: str, title: str, by: Any, **fields: Any) -> Any:
    found = model.objects.child_of(parent).filter(slug=slug).first()
    if found is not None:
        return found
    page = parent.add_child(instance=model(title=title, slug=slug, **fields))
    page.save_revision(user=by).publish(user=by)
    return page


def default_topic(*, by: Any) -> Any:
    ensure_can(by, "portal.edit")
    return _child(home_page(), pm.TopicPage, slug="lich-su-dang", title="Công tác lịch sử Đảng", by=by,
                  intro="Nghiên cứu, biên soạn, tuyên truyền, giáo dục lịch sử Đảng và lịch sử địa phương.")


def _perm(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def editorial_groups(home: Any) -> dict[str, Group]:
    groups = {}
    for name, codenames in GROUP_PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for codename in codenames:
            perm = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=perm)
        group.permissions.add(*[p for p in (_perm(d) for d in MODEL_PERMISSIONS[name]) if p is not None])
        groups[name] = group
    return groups


def editorial_workflow(home: Any, groups: dict[str, Group]) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, (task_name, group_name) in enumerate([("Biên tập viên duyệt", EDITOR_GROUP),
                                                     ("Lãnh đạo duyệt", LEADER_GROUP)]):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.set([groups[group_name]])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return workflow


def portal_setup(*, by: Any) -> dict[str, Any]:
    """Everything the portal needs to run, once (idempotent)."""
    ensure_can(by, "portal.edit")
    with transaction.atomic():
        home = home_page()
        topic = default_topic(by=by)
        _child(home, pm.DocumentListPage, slug="van-ban-moi", title="Văn bản mới", by=by,
               intro="Văn bản công khai trong kho lưu trữ, mới nhất trước.")
        groups = editorial_groups(home)
        workflow = editorial_workflow(home, groups)
        audit(home, "portal.setup", by=by)
    return {"home": home.url_path, "topic": topic.slug, "workflow": workflow.name, "groups": sorted(groups)}
