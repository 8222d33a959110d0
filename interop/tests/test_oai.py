"""The OAI-PMH provider answered in-process: verbs, errors, visibility, tombstones, sets, tokens, dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from interop.oai import DC_NS, OAI_NS, TT05_NS

NS = {"o": OAI_NS, "dc": DC_NS, "tt": TT05_NS}
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "tt05.xsd"

pytestmark = pytest.mark.django_db


def oai(client: Any, **params: str) -> etree._Element:
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def error_code(root: etree._Element) -> str | None:
    node = root.find("o:error", NS)
    return node.get("code") if node is not None else None


def identifiers(root: etree._Element) -> list[str]:
    return [n.text for n in root.iterfind(".//o:header/o:identifier", NS)]


@pytest.fixture
def fonds(world: Any) -> Any:
    from archive.services import collection_create

    fonds = collection_create(by=world.superuser, title="Phông Tỉnh ủy", kind="fonds", code="TU-KH",
                              access="public", description="Tài liệu của Tỉnh ủy")
    file_ = collection_create(by=world.superuser, title="Hồ sơ Chỉ thị 20", kind="file", code="TU-KH.01",
                              parent=fonds, access="public", retention="01")
    hidden = collection_create(by=world.superuser, title="Hồ sơ nội bộ", kind="file", code="TU-KH.99",
                               parent=fonds, access="internal")
    return fonds, file_, hidden


def test_identify_announces_persistent_deletions_and_second_granularity(client):
    root = oai(client, verb="Identify")
    assert error_code(root) is None
    ident = root.find("o:Identify", NS)
    assert ident.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert ident.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert ident.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert ident.findtext("o:baseURL", namespaces=NS).endswith("/oai")


@pytest.mark.parametrize(("params", "code"), [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"},
     "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no-such-set"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:elsewhere:item/1"}, "idDoesNotExist"),
    ({"verb": "Identify", "extra": "1"}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
])
def test_bad_requests_answer_the_protocol_error(client, world, params, code):
    assert error_code(oai(client, **params)) == code


def test_repeated_argument_is_bad(client):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=tt05")
    assert error_code(etree.fromstring(response.content)) == "badArgument"


def test_only_public_items_are_exposed(client, world, make_item):
    public = make_item("Kế hoạch công khai", access="public")
    make_item("Báo cáo nội bộ", access="internal")
    make_item("Tài liệu mật", access="restricted")
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    titles = [n.text for n in root.iterfind(".//dc:title", NS)]
    assert titles == ["Kế hoạch công khai"]
    assert identifiers(root) == ["oai:sulieu.local:item/%d" % public.pk]


def test_post_is_answered_like_get(client, world, make_item):
    make_item("Kế hoạch công khai")
    response = client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert len(identifiers(etree.fromstring(response.content))) == 1


def test_restricting_an_item_later_leaves_a_persistent_tombstone(client, world, make_item):
    from archive.services import item_update

    item = make_item("Sẽ bị hạn chế")
    ident = "oai:sulieu.local:item/%d" % item.pk
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(first) == [ident]
    stamp = first.findtext(".//o:header/o:datestamp", namespaces=NS)

    item_update(item=item, by=world.superuser, fields={"access": "restricted"})
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=ident)
    header = root.find(".//o:header", NS)
    assert header.get("status") == "deleted"
    assert root.find(".//o:metadata", NS) is None
    # Incremental harvesters see the deletion after their last harvest …
    changed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": stamp})
    assert changed.find(".//o:header", NS).get("status") == "deleted"
    # … and it stays announced: deleting the item itself keeps the tombstone.
    from archive.models import Item

    Item.objects.filter(pk=item.pk).delete()
    root = oai(client, verb="GetRecord", metadataPrefix="tt05", identifier=ident)
    assert root.find(".//o:header", NS).get("status") == "deleted"

    item_public_again = make_item("Công khai trở lại")
    assert len(identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))) == 2
    assert item_public_again.pk != item.pk


def test_withdrawn_item_comes_back_as_a_live_record(client, world, make_item):
    from archive.services import item_update

    item = make_item("Rút rồi công bố lại")
    oai(client, verb="Identify")
    item_update(item=item, by=world.superuser, fields={"access": "internal"})
    oai(client, verb="Identify")
    item_update(item=item, by=world.superuser, fields={"access": "public"})
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.find(".//o:header", NS).get("status") is None
    assert root.findtext(".//dc:title", namespaces=NS) == "Rút rồi công bố lại"


def test_resumption_tokens_page_through_everything_once(client, world, make_item, settings):
    settings.SULIEU_OAI_BATCH = 2
    made = {make_item("Tài liệu %d" % i).pk for i in range(5)}
    make_item("Nội bộ", access="internal")
    seen: list[str] = []
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.find(".//o:resumptionToken", NS)
    assert token.get("completeListSize") == "5"
    pages = 1
    seen += identifiers(root)
    while token is not None and token.text:
        # The token holds all the state (test_live restarts a real server between two pages).
        root = oai(client, verb="ListIdentifiers", resumptionToken=token.text)
        seen += identifiers(root)
        token = root.find(".//o:resumptionToken", NS)
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted("oai:sulieu.local:item/%d" % pk for pk in made)
    assert token is not None and not token.text  # the last page closes the list with an empty token


def test_tampered_token_is_refused(client, world, make_item, settings):
    settings.SULIEU_OAI_BATCH = 1
    make_item("A")
    make_item("B")
    token = oai(client, verb="ListRecords", metadataPrefix="oai_dc").findtext(".//o:resumptionToken", namespaces=NS)
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token[:-3] + "xyz")) == "badResumptionToken"


def test_from_and_until_select_by_modification_time(client, world, make_item):
    from interop.models import OaiRecord

    old = make_item("Cũ")
    new = make_item("Mới")
    oai(client, verb="Identify")
    OaiRecord.objects.filter(item_ref=old.pk).update(datestamp=dt.datetime(2020, 5, 1, 8, 0, tzinfo=dt.UTC))
    OaiRecord.objects.filter(item_ref=new.pk).update(datestamp=dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC))

    def ids(**params):
        return [i.rsplit("/", 1)[1] for i in identifiers(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                                                               **params))]

    assert ids(**{"from": "2021-01-01"}) == [str(new.pk)]
    assert ids(until="2020-05-01") == [str(old.pk)]  # until a day includes the whole day
    assert ids(until="2020-05-01T08:00:00Z") == [str(old.pk)]
    assert ids(**{"from": "2020-05-01T08:00:01Z", "until": "2024-05-01T07:59:59Z"}) == []


def test_sets_are_public_fonds_and_collections(client, world, make_item, fonds):
    top, file_, hidden = fonds
    in_file = make_item("Trong hồ sơ", collection=file_)
    in_hidden = make_item("Công khai trong hồ sơ nội bộ", collection=hidden)
    make_item("Ngoài phông")
    root = oai(client, verb="ListSets")
    specs = [n.text for n in root.iterfind(".//o:setSpec", NS)]
    assert specs == ["TU-KH", "TU-KH:TU-KH.01"]
    assert root.findtext(".//o:setName", namespaces=NS) == "Phông Tỉnh ủy"

    def ids(spec):
        return sorted(int(i.rsplit("/", 1)[1]) for i in identifiers(
            oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)))

    assert ids("TU-KH") == sorted([in_file.pk, in_hidden.pk])
    assert ids("TU-KH:TU-KH.01") == [in_file.pk]
    header = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:sulieu.local:item/%d" % in_file.pk)
    assert [n.text for n in header.iterfind(".//o:setSpec", NS)] == ["TU-KH", "TU-KH:TU-KH.01"]
    hidden_header = oai(client, verb="GetRecord", metadataPrefix="oai_dc",
                        identifier="oai:sulieu.local:item/%d" % in_hidden.pk)
    assert [n.text for n in hidden_header.iterfind(".//o:setSpec", NS)] == ["TU-KH"]


def test_tt05_format_carries_the_circular_fields_and_validates(client, world, make_item, fonds):
    _top, file_, _hidden = fonds
    item = make_item("Kế hoạch sơ kết", collection=file_, symbol="98-KH/TU", doc_type_name="Kế hoạch",
                     issuer_name="Tỉnh ủy Khánh Hòa", summary="Sơ kết 05 năm thực hiện Chỉ thị 20-CT/TW",
                     doc_number="98")
    root = oai(client, verb="GetRecord", metadataPrefix="tt05", identifier="oai:sulieu.local:item/%d" % item.pk)
    record = root.find(".//tt:record", NS)
    assert record.findtext("tt:docSymbol", namespaces=NS) == "98-KH/TU"
    assert record.findtext("tt:fondsCode", namespaces=NS) == "TU-KH"
    assert record.findtext("tt:fileCode", namespaces=NS) == "TU-KH.01"
    assert record.findtext("tt:archivalCode", namespaces=NS) == "TU-KH.01.%07d" % item.pk
    assert record.findtext("tt:retention", namespaces=NS) == "01"
    assert record.findtext("tt:accessLevel", namespaces=NS) == "01"
    assert record.findtext("tt:url", namespaces=NS).endswith("/items/%d/" % item.pk)
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(record)
    formats = oai(client, verb="ListMetadataFormats")
    assert [n.text for n in formats.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc", "tt05"]
    assert client.get("/oai/schemas/tt05.xsd").status_code == 200
    assert client.get("/oai/schemas/secret_key").status_code == 404


def test_hostile_text_stays_well_formed_text(client, world, make_item):
    make_item('<script>alert("x")</script> & \x07 ]]> tiêu đề')
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    root = etree.fromstring(response.content)
    assert root.findtext(".//dc:title", namespaces=NS) == '<script>alert("x")</script> &  ]]> tiêu đề'
    assert b"<script>" not in response.content
    # Hostile arguments are echoed only as escaped text, if at all.
    response = client.get("/oai", {"verb": "<b>x</b>"})
    assert b"<b>" not in response.content
