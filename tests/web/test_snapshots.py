"""New data while the site serves: a load holding the store never stops a page, and readers switch
to the new figures once it has committed (``web.snapshots``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.test import Client

from scorecard.store import Store
from scorecard.web import snapshots

ROOT = Path(__file__).resolve().parents[2]
HOLD = ("import sys, time\nfrom scorecard.store import Store\nwith Store.open(sys.argv[1]):\n"
        "    print('holding', flush=True)\n    sys.stdin.read()\n")


def test_a_load_in_progress_never_stops_a_page_and_its_commit_is_picked_up(settings: Any, real_store_path: Path,
                                                                         tmp_path: Path, db: None) -> None:
    store = tmp_path / "store.duckdb"
    shutil.copyfile(real_store_path, store)
    settings.STORE = store
    settings.HOME = tmp_path / "web"
    settings.PUBLISHED = tmp_path / "web" / "published"
    assert Client().get("/forces/west-midlands/measures/homicide/").status_code == 200
    first = snapshots.current()
    writer = subprocess.Popen([sys.executable, "-c", HOLD, str(store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "holding"
        # The store is held for writing: a page not yet cached is still answered, from the snapshot.
        assert Client().get("/forces/west-midlands/measures/burglary/").status_code == 200
        assert Client().get("/measures/robbery/").status_code == 200
        assert snapshots.current() == first
    finally:
        writer.communicate("")
    # A revised local series (one figure of the demo's file changed) is a load that changes the store.
    revised = tmp_path / "local-series-west-midlands.csv"
    text = (ROOT / "demo" / "data" / "local-series-west-midlands.csv").read_text("utf-8")
    revised.write_text(text.replace('"810,868"', '"810,869"', 1), "utf-8")
    loaded = subprocess.run([str(Path(sys.executable).parent / "scorecard"), "ingest", "--store", str(store),
                             str(revised)], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    assert Client().get("/forces/west-midlands/measures/homicide/").status_code == 200
    second = snapshots.current()
    assert second != first and second.exists() and not first.exists()


def test_a_published_version_says_when_newer_data_would_change_it(settings: Any, real_store_path: Path,
                                                                  tmp_path: Path, publication: Any) -> None:
    url = "/forces/west-midlands/statement/2024-25-Q1/v1/"
    assert "still agrees with it" in Client().get(url).content.decode()
    store = tmp_path / "store.duckdb"
    shutil.copyfile(real_store_path, store)
    settings.STORE = store
    settings.HOME = tmp_path / "web"
    # The West Midlands homicide figures revised: a Home Office figure the statement quotes, changed.
    with Store.open(store) as st:
        st.con.execute("UPDATE observations SET value = value + 7 WHERE dataset = 'home_office_prc' "
                       "AND force_id = 'west-midlands' AND series IN ('1', '4.1')")
    page = Client().get(url).content.decode()
    assert "Newer data would change" in page and "homicide" in page


def test_an_administrator_loads_a_file_through_the_workbench(settings: Any, real_store_path: Path, tmp_path: Path,
                                                             people: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scorecard.web.models import AuditEntry

    store = tmp_path / "store.duckdb"
    shutil.copyfile(real_store_path, store)
    settings.STORE = store
    settings.HOME = tmp_path / "web"
    admin = Client()
    admin.force_login(people["admin"])
    text = (ROOT / "demo" / "data" / "local-series-west-midlands.csv").read_text("utf-8")
    good = SimpleUploadedFile("local series (revised).csv", text.replace('"810,868"', '"810,869"', 1).encode())
    page = admin.post("/workbench/loads/", {"file": good}).content.decode()
    assert "Loaded local-series-revised-.csv." in page or "Loaded local-series-revised.csv" in page, page[:3000]
    with Store.open(store, read_only=True) as st:
        assert st.loads()[-1]["file_name"].startswith("local-series-revised")
    before = store.read_bytes()
    bad = SimpleUploadedFile("broken.csv", text.replace('"810,868"', '"1,2"', 1).encode())
    page = admin.post("/workbench/loads/", {"file": bad}).content.decode()
    assert "was not loaded (nothing in the store changed)" in page and "1,2" in page
    assert store.read_bytes() == before
    assert [e.action for e in AuditEntry.objects.all()] == ["data.load", "data.load"]
    analyst = Client()
    analyst.force_login(people["analyst"])
    assert analyst.post("/workbench/loads/", {"file": SimpleUploadedFile("x.csv", b"x")}).status_code == 403
