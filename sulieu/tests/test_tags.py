import datetime as dt

from sulieu.templatetags.sulieu_tags import vndate


def test_vndate_prints_only_what_is_known():
    day = dt.date(1976, 3, 12)
    assert vndate(day) == "12/03/1976"
    assert vndate("1976-03-12", "day") == "12/03/1976"
    assert vndate(day, "month") == "03/1976"
    assert vndate(day, "year") == "1976" and vndate(day, "season") == "1976"
    assert vndate(dt.date(1975, 1, 1), "decade") == "1970s"
    assert vndate(None) == "" and vndate("mùa Xuân") == "mùa Xuân"
