"""Notify tests run against a real SMTP server and a local webhook receiver, both on 127.0.0.1."""
import pytest

from app import create_app
from app.extensions import db
from tests.conftest import CsrfClient, make_config
from tests.notify.servers import Receiver, SmtpServer
from tests.snapshot import empty_tables

BASE_URL = "http://kam.test:8000"


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def outbox_dir(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app(_schema, smtp, outbox_dir):
    """The app with mail sent to the test's SMTP server and private webhook addresses allowed."""
    app = create_app(make_config(_schema, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_BACKEND="smtp",
                                 MAIL_DEFAULT_SENDER="大客户工作台 KAM <noreply@kam.test>", BASE_URL=BASE_URL,
                                 WEBHOOK_ALLOW_PRIVATE=True, MAIL_OUTBOX_DIR=str(outbox_dir)))
    app.test_client_class = CsrfClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def outbox_app(_schema, outbox_dir):
    """The app with no mail server: mails land in the outbox folder."""
    app = create_app(make_config(_schema, BASE_URL=BASE_URL, MAIL_OUTBOX_DIR=str(outbox_dir)))
    app.test_client_class = CsrfClient
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()
