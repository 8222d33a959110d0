"""EAD3 and EAD 2002 export of a fonds, validated against the official schemas; import back as a tree."""

from __future__ import annotations

import pytest
from lxml import etree

from interop.ead import EAD3_NS, EAD2002_NS, EadError, export_ead, import_ead, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def fonds(world, make_item):
    from archive.services import collection_create

    top = collection_create(by=world.superuser, title="Phông Tỉnh ủy Khánh Hòa", kind="fonds", code="TU-KH",
                            access="public", description="Tài liệu của Tỉnh ủy <1975–2025> & các ban",
                            history="Tỉnh ủy được thành lập năm 1930.")
    series = collection_create(by=world.superuser, title="Tư liệu báo chí", kind="series", code="TU-KH.09",
                               parent=top, access="public")
    file_ = collection_create(by=world.superuser, title="Hồ sơ Chỉ thị 20", kind="file", code="TU-KH.09.01",
                              parent=series, access="public")
    collection_create(by=world.superuser, title="Hồ sơ mật", kind="file", code="TU-KH.99", parent=top,
                      access="restricted")
    make_item("Kế hoạch 98-KH/TU", collection=file_, symbol="98-KH/TU", summary="Sơ kết 05 năm")
    make_item("Báo cáo nội bộ", collection=file_, access="internal")
    return top


@pytest.mark.parametrize("version", ["ead3", "ead2002"])
def test_public_finding_aid_validates_and_hides_what_the_public_may_not_see(fonds, version):
    data = export_ead(fonds, version=version)
    root = etree.fromstring(data)
    validate(root, version)  # export validates too; this states it
    ns = {"e": EAD3_NS if version == "ead3" else EAD2002_NS}
    assert root.findtext("e:archdesc/e:did/e:unittitle", namespaces=ns) == "Phông Tỉnh ủy Khánh Hòa"
    ids = [n.text for n in root.iterfind(".//e:c/e:did/e:unitid", ns)]
    assert ids == ["TU-KH.09", "TU-KH.09.01", "98-KH/TU"]
    assert b"H\xe1\xbb\x93 s\xc6\xa1 m\xe1\xba\xadt" not in data  # "Hồ sơ mật"
    assert "Báo cáo nội bộ".encode() not in data
    assert root.findtext(".//e:scopecontent/e:p", namespaces=ns) == "Tài liệu của Tỉnh ủy <1975–2025> & các ban"


def test_staff_finding_aid_includes_restricted_parts(fonds, world):
    data = export_ead(fonds, user=world.superuser)
    assert "Hồ sơ mật".encode() in data and "Báo cáo nội bộ".encode() in data


@pytest.mark.parametrize("version", ["ead3", "ead2002"])
def test_import_makes_the_collection_tree(fonds, world, version):
    from archive.models import Collection

    data = export_ead(fonds, version=version)
    result = import_ead(data, by=world.superuser)
    assert (result.collections, result.skipped_items) == (3, 1)
    tree = [(c.depth, c.kind, c.code, c.title) for c in
            Collection.objects.filter(path__startswith=result.root.path).order_by("path")]
    assert tree == [(0, "fonds", "TU-KH", "Phông Tỉnh ủy Khánh Hòa"), (1, "series", "TU-KH.09", "Tư liệu báo chí"),
                    (2, "file", "TU-KH.09.01", "Hồ sơ Chỉ thị 20")]
    assert result.root.history == "Tỉnh ủy được thành lập năm 1930."
    assert result.root.access == "internal"


def test_invalid_or_hostile_finding_aids_are_refused(world):
    with pytest.raises(EadError, match="not well-formed"):
        import_ead(b"<ead><archdesc>", by=world.superuser)
    with pytest.raises(EadError, match="not valid EAD3"):
        import_ead(('<ead xmlns="%s"><archdesc level="fonds"/></ead>' % EAD3_NS).encode(), by=world.superuser)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><ead>&b;</ead>'
    with pytest.raises(EadError):
        import_ead(bomb, by=world.superuser)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_ead(b"<ead/>", by=world.reader)
