"""A flushed database (the tests' flush between transactional tests, `manage flush`) gets Wagtail's own rows back:
without the root collection every image and document chooser fails, without the root page no site can be made."""

import pytest
from django.core.management import call_command
from wagtail.models import Collection, Locale, Page


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_wagtails_root_page_locale_and_collection():
    call_command("flush", interactive=False, verbosity=0)
    assert Collection.get_first_root_node() is not None
    assert Page.get_first_root_node() is not None
    assert Locale.objects.exists()
    # and a second flush does not make a second root
    call_command("flush", interactive=False, verbosity=0)
    assert Collection.objects.filter(depth=1).count() == 1
    assert Page.objects.filter(depth=1).count() == 1
