"""Editorial workflow writer → editor → leader (Wagtail workflows), and scheduled publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from orgs.tests.factories import make_user
from portal import models as pm
from portal import setup
from portal.tasks import portal_tick_task

pytestmark = pytest.mark.django_db


def _staff(name: str, group: str):
    user = make_user(name)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_writer_submits_editor_then_leader_approve_and_only_then_it_is_live(world, topic):
    setup.portal_setup(by=world.superuser)
    writer = _staff("pv", setup.WRITER_GROUP)
    editor = _staff("bt", setup.EDITOR_GROUP)
    leader = _staff("ld", setup.LEADER_GROUP)
    page = topic.add_child(instance=pm.ArticlePage(title="Bài qua quy trình", slug="bai-quy-trinh", live=False))
    page.save_revision(user=writer)
    assert not page.permissions_for_user(writer).can_publish()
    assert page.permissions_for_user(leader).can_publish()
    workflow = page.get_workflow()
    assert workflow.name == setup.WORKFLOW_NAME
    state = workflow.start(page, writer)
    first = state.current_task_state
    assert first.task.name == "Biên tập viên duyệt"
    assert first.task.specific.get_actions(page, writer) == []
    assert first.task.specific.get_actions(page, leader) == []
    assert "approve" in [a[0] for a in first.task.specific.get_actions(page, editor)]
    first.task.specific.on_action(first, editor, "approve")
    state.refresh_from_db()
    page.refresh_from_db()
    assert not page.live
    second = state.current_task_state
    assert second.task.name == "Lãnh đạo duyệt"
    assert second.task.specific.get_actions(page, editor) == []
    second.task.specific.on_action(second, leader, "approve")
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == "approved"


def test_scheduled_article_goes_live_on_the_worker_tick(world, topic):
    page = topic.add_child(instance=pm.ArticlePage(title="Bài hẹn giờ", slug="bai-hen-gio", live=False))
    revision = page.save_revision(user=world.superuser)
    revision.approved_go_live_at = timezone.now() + dt.timedelta(seconds=1)
    revision.save(update_fields=["approved_go_live_at"])
    portal_tick_task.call()
    page.refresh_from_db()
    assert not page.live
    revision.approved_go_live_at = timezone.now() - dt.timedelta(seconds=1)
    revision.save(update_fields=["approved_go_live_at"])
    portal_tick_task.call()
    page.refresh_from_db()
    assert page.live
