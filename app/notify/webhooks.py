"""Chat-bot webhooks: each platform's markdown card, its signing, and a guarded POST.

WeCom (企业微信) group bots take {"msgtype": "markdown"}; Feishu/Lark (飞书) an interactive card
with `timestamp` and `sign` in the body; DingTalk (钉钉) an actionCard with `timestamp` and
`sign` as query parameters; Slack Block Kit. Outbound addresses are http(s) only and never
private, loopback or link-local unless WEBHOOK_ALLOW_PRIVATE is set; the address checked is
the address connected to (no DNS rebinding), and redirects are not followed.
"""
import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import time
from urllib.parse import quote_plus, urlsplit

from app.translate import lazy_gettext as _l

PLATFORMS = {"wecom": _l("WeCom group bot (企业微信)"), "feishu": _l("Feishu / Lark bot (飞书)"),
             "dingtalk": _l("DingTalk bot (钉钉)"), "slack": _l("Slack incoming webhook")}
SIGNED = ("feishu", "dingtalk")
TIMEOUT = 10


class WebhookError(Exception):
    """A call that failed (refused address, network error, the platform said no)."""


def _blocked(ip):
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or (ip.version == 6 and ip.ipv4_mapped and _blocked(ip.ipv4_mapped)))


def check_url(url, allow_private=False, resolve=True):
    """(scheme, host, port, path+query, ip) of a URL we may call; WebhookError if not."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(str(_l("Only http:// and https:// addresses can be used.")))
    if parts.username or parts.password:
        raise WebhookError(str(_l("An address with a user name or password in it cannot be used.")))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise WebhookError(str(_l("That address is not valid."))) from e
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if not resolve:
        return parts.scheme, parts.hostname, port, path, None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise WebhookError(str(_l("The host name does not resolve."))) from e
    ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not allow_private and any(_blocked(ip) for ip in ips):
        raise WebhookError(str(_l("Private, loopback and link-local addresses are not allowed.")))
    return parts.scheme, parts.hostname, port, path, str(ips[0])


def dingtalk_sign(secret, timestamp_ms):
    """DingTalk: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret, timestamp_s):
    """Feishu/Lark: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def payload(platform, title, lines, link, link_text, secret="", now=None):
    """(extra query string, JSON body) of one markdown card for `platform`."""
    now = now or time.time()
    if platform == "wecom":
        body = "\n".join([f"**{title}**", *(f"> {line}" for line in lines), f"[{link_text}]({link})"])
        return "", {"msgtype": "markdown", "markdown": {"content": body}}
    if platform == "dingtalk":
        text = "\n\n".join([f"### {title}", *(f"- {line}" for line in lines)])
        data = {"msgtype": "actionCard", "actionCard": {"title": title, "text": text,
                                                         "singleTitle": link_text, "singleURL": link}}
        if secret:
            ts = int(now * 1000)
            return f"timestamp={ts}&sign={dingtalk_sign(secret, ts)}", data
        return "", data
    if platform == "feishu":
        data = {"msg_type": "interactive", "card": {
            "header": {"title": {"tag": "plain_text", "content": title}, "template": "red"},
            "elements": [{"tag": "markdown", "content": "\n".join(lines)},
                         {"tag": "action", "actions": [{"tag": "button", "type": "primary", "url": link,
                                                        "text": {"tag": "plain_text", "content": link_text}}]}]}}
        if secret:
            ts = int(now)
            data = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **data}
        return "", data
    if platform == "slack":
        esc = [line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in lines]
        return "", {"text": title, "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
            {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(esc) or " "}},
            {"type": "actions", "elements": [{"type": "button", "url": link,
                                              "text": {"type": "plain_text", "text": link_text}}]}]}
    raise WebhookError(f"unknown platform {platform!r}")


def post(url, query, body, allow_private=False):
    """POST JSON to the checked address (the IP that was checked); raises WebhookError."""
    scheme, host, port, path, ip = check_url(url, allow_private)
    if query:
        path += ("&" if "?" in path else "?") + query
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = cls(host, port, timeout=TIMEOUT)
    # Connect to the address that passed the check; TLS still verifies the host name.
    conn._create_connection = lambda addr, timeout=TIMEOUT, source=None: socket.create_connection(
        (ip, port), timeout)
    data = json.dumps(body, ensure_ascii=False).encode()
    try:
        conn.request("POST", path, body=data, headers={"Content-Type": "application/json; charset=utf-8",
                                                       "User-Agent": "kam-workspace-notify/1"})
        resp = conn.getresponse()
        text = resp.read(65536).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        raise WebhookError(f"{type(e).__name__}: {e}") from e
    finally:
        conn.close()
    if not 200 <= resp.status < 300:
        raise WebhookError(f"HTTP {resp.status}: {text[:200]}")
    try:
        answer = json.loads(text) if text.strip().startswith("{") else {}
    except ValueError:
        answer = {}
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, None):
        raise WebhookError(f"{code}: {answer.get('errmsg') or answer.get('msg') or text[:200]}")
    return text
