import io

import pytest

from tests.stakeholders.conftest import mapped  # noqa: F401


@pytest.fixture(autouse=True)
def import_dir(app, tmp_path):
    """Uploads land in a temporary folder, not the worktree's instance/."""
    app.config["IMPORT_DIR"] = str(tmp_path / "imports")
    return tmp_path / "imports"


def contacts_url(world):
    return f"/accounts/{world.account.id}/stakeholders/import"


def upload(client, url, body, filename="contacts.csv"):
    """Post a file to an import page: the preview."""
    return client.post(url, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), filename)})


def token_of(resp):
    import re
    m = re.search(r'name="token" type="hidden" value="([^"]+)"', resp.text) or \
        re.search(r'name="token" value="([^"]+)"', resp.text) or re.search(r'token=([A-Za-z0-9_-]{20,})', resp.text)
    assert m, resp.text[:2000]
    return m.group(1)


def apply(client, url, resp, **mapping):
    data = {"token": token_of(resp), "apply": "1"}
    return client.post(url, data=data)
