"""What every download must be (opop.exports), for each app's export test: the UTF-8 BOM first (Excel reads
a non-ASCII name as written), the name round-trips, and exactly one audit event of its data set."""

import csv
import io

from opop.exports import CSV_BOM
from opop.models import AuditEvent

NON_ASCII = "Hudā Çiamis"  # a name Excel garbles without the BOM


def assert_csv_export(response, *, action: str, actor, contains: str = NON_ASCII) -> list[list[str]]:
    """Check the download and its audit event (the only one of `action`); return the CSV's rows."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(CSV_BOM.encode()), response.content[:20]
    text = response.content.decode("utf-8-sig")
    assert contains in text, text[:500]
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == 1, events
    assert events[0].actor == actor and "rows" in events[0].data and events[0].data["format"] == "csv"
    return list(csv.reader(io.StringIO(text)))
