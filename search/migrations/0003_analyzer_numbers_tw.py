"""The analyzer changed (a number glued to a word is split, ``80m2`` -> ``80 m2``; ``TW`` is read as ``TƯ``):
index terms written before no longer match the query terms, so the index is rebuilt from the archive (nothing
to do on an empty archive; ``sulieu reindex`` does the same by hand)."""

from django.db import migrations


def forward(apps, schema_editor):
    Item = apps.get_model("archive", "Item")
    if not Item.objects.using(schema_editor.connection.alias).exists():
        return
    from search.services import reindex_all

    reindex_all()


class Migration(migrations.Migration):
    dependencies = [("sulieu_search", "0002_narrow_passage"), ("archive", "0003_page_words")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
