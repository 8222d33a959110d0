"""An archive emptied by `flush` has an empty index (the index tables are not Django models)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from reading.tests.factories import make_text_item
from search.services import backend, search_items


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_index_with_the_archive(django_user_model):
    make_text_item("Biên bản sinh hoạt chi bộ thôn Phú Nhơn năm 1976.", name="bb.txt", access="public")
    assert backend().count() == 1
    call_command("flush", interactive=False, verbosity=0)
    assert backend().count() == 0
    assert search_items(user=None, query="Phú Nhơn").count == 0
