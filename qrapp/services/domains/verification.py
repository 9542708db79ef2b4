"""Checking a domain and moving it between states.

pending  -> verified   the proof holds (DNS: TXT token + CNAME/A to our edge; HTTP: our
                       edge served the token through the customer's DNS)
pending  -> failed     the proof does not hold (the reason says what is missing)
verified -> lost       a re-check found the records gone (the owners are e-mailed; codes
                       fall back to our default domain)
verified -> lost       another workspace proved the same name with its own TXT token
A lookup that could not be made (timeout) changes no state, only the next check's time.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

import httpx
from sqlmodel import Session, select

from qrapp.cachebus import announce_domain_changed
from qrapp.db import Transaction
from qrapp.models.audit import AuditAction
from qrapp.models.domains import FAILED, LOST, PENDING, PROOF_HTTP, VERIFIED, CustomDomain
from qrapp.services import audit
from qrapp.services.domains import dns_checks, notify
from qrapp.services.domains.dns_checks import Check
from qrapp.services.domains.hostnames import edge_host
from qrapp.services.webhooks.addresses import policy, refusal
from qrapp.settings import get_settings

CHALLENGE_PATH = "/.well-known/qrapp-challenge/"
RECHECK_VERIFIED = dt.timedelta(days=1)
FIRST_RETRY = dt.timedelta(minutes=2)
MAX_RETRY = dt.timedelta(hours=12)
# Past this age a domain that never verified is no longer retried by itself ("Check now"
# still works): DNS changes take minutes to hours, not weeks.
GIVE_UP_AFTER = dt.timedelta(days=7)
MOVED_REASON = "Another workspace proved it controls this domain."
HTTP_CANNOT_MOVE = "This domain is verified by another workspace: prove it with the DNS TXT record."


def run_check(row: CustomDomain) -> Check:
    """The proof of `row`, looked up now (no database access)."""
    if row.proof == PROOF_HTTP:
        return http_proof(row.hostname, str(row.id), row.token)
    txt = dns_checks.txt_proof(row.hostname, row.token)
    if not txt.ok:
        return txt
    return dns_checks.cname_target(row.hostname, edge_host())


def http_proof(hostname: str, domain_id: str, token: str) -> Check:
    """Whether http://<hostname>/.well-known/qrapp-challenge/<id> answers the token. The
    name is resolved through the same DNS as the TXT proof and every address checked like
    a webhook's (no loopback or private networks outside tests), then that address is
    asked with the name as Host: no rebinding in between, no redirects followed."""
    addresses = dns_checks.addresses(hostname)
    if isinstance(addresses, Check):
        return addresses
    _https, allow_private = policy()
    for address in sorted(addresses):
        why = refusal(ipaddress.ip_address(address), allow_private=allow_private)
        if why:
            return Check(False, f"{hostname} points to {why}; we cannot check it.")
    address = sorted(addresses)[0]
    host = f"[{address}]" if ":" in address else address
    port = get_settings().domains_http_proof_port
    url = f"http://{host}:{port}{CHALLENGE_PATH}{domain_id}"
    try:
        with httpx.Client(timeout=5.0, follow_redirects=False) as client:
            answer = client.get(url, headers={"Host": hostname})
    except httpx.HTTPError:
        return Check(False, f"http://{hostname}/ did not answer; we will try again.", True)
    if answer.status_code == 200 and answer.text.strip() == token:
        return Check(True, f"http://{hostname}{CHALLENGE_PATH}… served the token.")
    return Check(
        False,
        f"http://{hostname}{CHALLENGE_PATH}{domain_id} did not serve the token "
        f"(status {answer.status_code}); point the name at {edge_host()} first.",
    )


def backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * (2 ** min(attempts, 16)), MAX_RETRY)


def apply_result(tx: Transaction, row: CustomDomain, check: Check, now: dt.datetime) -> None:
    """Record a check's outcome on `row` (locked by the caller's transaction)."""
    s = tx.session
    was = row.status
    row.last_checked_at = now
    row.updated_at = now
    if check.temporary:
        row.attempts += 1
        if was != VERIFIED:
            row.reason = check.reason
        row.next_check_at = now + (RECHECK_VERIFIED if was == VERIFIED else backoff(row.attempts))
        s.add(row)
        return
    if check.ok:
        holder = _verified_elsewhere(s, row)
        if holder is not None and row.proof == PROOF_HTTP:
            check = Check(False, HTTP_CANNOT_MOVE)
        elif holder is not None:
            _move_away(tx, holder, now)
    if check.ok:
        row.status, row.reason, row.attempts = VERIFIED, "", 0
        row.verified_at = row.verified_at if was == VERIFIED else now
        row.next_check_at = now + RECHECK_VERIFIED
        s.add(row)
        if was != VERIFIED:
            _audit(tx, row, AuditAction.DOMAIN_VERIFIED)
            tx.after_commit(lambda: announce_domain_changed(row.hostname))
        return
    row.attempts += 1
    row.reason = check.reason
    if was in (VERIFIED, LOST):
        row.status = LOST
        row.is_default = False
    else:
        row.status = FAILED
    too_old = now - row.created_at > GIVE_UP_AFTER and row.status != LOST
    row.next_check_at = None if too_old else now + backoff(row.attempts)
    s.add(row)
    if was == VERIFIED:
        _audit(tx, row, AuditAction.DOMAIN_LOST, {"reason": check.reason})
        notify.domain_lost(tx, row)
        tx.after_commit(lambda: announce_domain_changed(row.hostname))
    elif was == PENDING:
        _audit(tx, row, AuditAction.DOMAIN_FAILED, {"reason": check.reason})


def _verified_elsewhere(s: Session, row: CustomDomain) -> CustomDomain | None:
    return s.exec(
        select(CustomDomain).where(
            CustomDomain.hostname == row.hostname,
            CustomDomain.status == VERIFIED,
            CustomDomain.id != row.id,
        )
    ).first()


def _move_away(tx: Transaction, holder: CustomDomain, now: dt.datetime) -> None:
    holder.status, holder.reason, holder.is_default = LOST, MOVED_REASON, False
    holder.updated_at = now
    holder.next_check_at = None  # its proof no longer matters: the name moved
    tx.session.add(holder)
    # The partial unique index allows one verified row per name: the old one goes first.
    tx.session.flush()
    _audit(tx, holder, AuditAction.DOMAIN_MOVED)
    notify.domain_moved(tx, holder)


def _audit(tx: Transaction, row: CustomDomain, action: AuditAction, details=None) -> None:
    audit.record(
        tx.session,
        action=action,
        actor_user_id=None,
        workspace_id=row.workspace_id,
        target_type="custom_domain",
        target_id=str(row.id),
        details={"hostname": row.hostname, **(details or {})},
    )
