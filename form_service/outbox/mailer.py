"""Sending one message: a small interface, its SMTP implementation, and what a failure means."""

from __future__ import annotations

import smtplib
import ssl
from typing import Protocol


class TransientError(Exception):
    """Worth retrying later: the server is down, slow, or said 4xx."""


class PermanentError(Exception):
    """The server refused this message or recipient for good (5xx)."""


class Mailer(Protocol):
    def send(self, sender: str, recipient: str, message: bytes) -> None:
        """Deliver `message` to `recipient`, or raise TransientError / PermanentError."""


def classify(exc: Exception) -> Exception:
    """Map an smtplib / socket error to TransientError or PermanentError."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{code} {msg!r}" for code, msg in exc.recipients.values())
        if codes and all(code >= 500 for code in codes):
            return PermanentError(f"destinataire refusé : {detail}")
        return TransientError(f"destinataire refusé temporairement : {detail}")
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return PermanentError(f"message refusé : {exc.smtp_code} {exc.smtp_error!r}")
    if isinstance(exc, smtplib.SMTPResponseException):
        # 4xx, or a 5xx on the connection, the sender or the login: a configuration or
        # server problem that concerns every message, so retried (and logged) rather than
        # dropping this one.
        return TransientError(f"{type(exc).__name__} {exc.smtp_code} {exc.smtp_error!r}")
    return TransientError(f"{type(exc).__name__}: {exc}")


class SMTPMailer:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.user, self.password, self.starttls = user, password, starttls

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user and self.password:
                    smtp.login(self.user, self.password)
                smtp.sendmail(sender, [recipient], message)
        except UnicodeError as exc:  # smtplib speaks ASCII (no SMTPUTF8 here)
            raise PermanentError(f"adresse ou message non ASCII : {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc
