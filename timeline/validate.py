"""Validate stage: re-check every mention against its article; failures become Rejections.

`extract_all` is the extract + validate step the flow (and the tests) run. One article's
extractor error, invalid mention, crash or runaway extraction becomes a Rejection with the
reason (Pydantic field errors, the exception, or the time it took); it never stops the run and
no record is dropped without one. On Linux extraction runs in a forked child process watched by
the parent: an article that takes longer than `timeout` seconds (default 60, or
``TIMELINE_EXTRACT_TIMEOUT``) is rejected as ``extract_timeout`` and the child replaced, so one
pathological page cannot stall a run (and its writer lock) for hours. Elsewhere it runs in
process, without the time limit.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from multiprocessing.connection import Connection
from datetime import datetime

from pydantic import ValidationError

from models import Article, EventMention, Rejection
from models.records import content_id

__all__ = ["validate", "extract_all", "DEFAULT_EXTRACT_TIMEOUT"]

DEFAULT_EXTRACT_TIMEOUT = 60.0


def _field_errors(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']}" for e in exc.errors())[:2000]


def validate(article: Article, mentions: list[EventMention], now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    """Mentions whose every span slices exactly its quoted text out of the stored article."""
    ok: list[EventMention] = []
    rejected: list[Rejection] = []
    for m in mentions:
        try:
            ok.append(EventMention.model_validate(m.model_dump(), context={"article_text": article.text}))
        except ValidationError as exc:
            rejected.append(Rejection(
                reject_id=content_id(article.source_uri, "validate", m.mention_id),
                source_uri=article.source_uri, stage="validate", reason="invalid_mention",
                detail=f"mention {m.mention_id}: {_field_errors(exc)}", rejected_at=now,
            ))
    return ok, rejected


def _extract_rejection(a: Article, reason: str, detail: str, now: datetime) -> Rejection:
    return Rejection(reject_id=content_id(a.source_uri, "extract", a.article_id, detail), source_uri=a.source_uri,
                     stage="extract", reason=reason, detail=detail, rejected_at=now)


def _one(a: Article, now: datetime) -> tuple[list[EventMention], list[Rejection]]:
    from timeline.extract import extract

    try:
        found = extract(a)
    except Exception as exc:  # one bad article never stops the run
        detail = (f"invalid record: {_field_errors(exc)}" if isinstance(exc, ValidationError)
                  else f"{type(exc).__name__}: {str(exc)[:2000]}")
        return [], [_extract_rejection(a, "extractor_error", detail, now)]
    return validate(a, found, now)


def extract_all(articles: list[Article], now: datetime,
                timeout: float | None = None) -> tuple[list[EventMention], list[Rejection]]:
    """Extract and validate every article; see the module docstring for what becomes a Rejection."""
    if timeout is None:
        timeout = float(os.environ.get("TIMELINE_EXTRACT_TIMEOUT", DEFAULT_EXTRACT_TIMEOUT))
    mentions: list[EventMention] = []
    rejects: list[Rejection] = []
    if not articles:
        return mentions, rejects
    if sys.platform != "linux" or timeout <= 0:
        for a in articles:
            ok, bad = _one(a, now)
            mentions += ok
            rejects += bad
        return mentions, rejects
    _warm_up(now)
    worker = None
    try:
        for i, a in enumerate(articles):
            if worker is None:
                try:
                    worker = _Worker(now)
                except OSError:   # cannot fork (process limits): extract in process, untimed
                    for b in articles[i:]:
                        ok, bad = _one(b, now)
                        mentions += ok
                        rejects += bad
                    break
            outcome = worker.run(a, timeout)
            if outcome is None:
                rejects.append(_extract_rejection(a, "extract_timeout", f"extraction took longer than {timeout:g} s "
                                                  "(the article is stored without events)", now))
                worker.kill()
                worker = None
            elif isinstance(outcome, str):
                rejects.append(_extract_rejection(a, "extractor_crashed", outcome, now))
                worker.kill()
                worker = None
            else:
                mentions += outcome[0]
                rejects += outcome[1]
    finally:
        if worker is not None:
            worker.stop()
    return mentions, rejects


_warm = False
_warm_lock = threading.Lock()


def _warm_up(now: datetime) -> None:
    """Load the extractor's tables and compile its patterns once in this process, so every forked
    child starts warm (a cold start costs about 0.4 s)."""
    global _warm
    # Under a lock, and done only once the extractor is imported: a thread that forked while
    # another was still importing timeline.extract gave a child holding that module's import
    # lock forever (each such batch lost an article to extract_timeout after 60 s; bench/run.py).
    with _warm_lock:
        if _warm:
            return
        from timeline.ingest import build_article

        try:
            _one(build_article("warm-up", "2025年1月31日、中谷防衛大臣はヘグセス米国防長官と電話会談を行いました。\n"
                                          "Secretary Hegseth met Minister Nakatani in Tokyo on March 30, 2025.\n", now), now)
        except Exception:
            pass
        _warm = True


class _Worker:
    """A forked child that extracts one article per request; the parent watches the clock.
    (os.fork, not multiprocessing: a daemonic task-runner process may fork but multiprocessing
    refuses it children.)"""

    def __init__(self, now: datetime) -> None:
        ours, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:   # the child
            try:
                ours.close()
                _serve(Connection(theirs.detach()), now)
            finally:
                os._exit(0)
        theirs.close()
        self.conn = Connection(ours.detach())

    def run(self, a: Article, timeout: float):
        """(mentions, rejects); None when the time ran out; a message when the child died."""
        try:
            self.conn.send(a)
            if not self.conn.poll(timeout):
                return None
            return self.conn.recv()
        except (EOFError, OSError) as exc:
            return f"the extractor process died ({self._reap()}; {type(exc).__name__})"

    def _reap(self) -> str:
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            return "exit status unknown"
        self.pid = 0
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}"
        return f"exit code {os.waitstatus_to_exitcode(status)}"

    def kill(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.kill()


def _serve(conn: Connection, now: datetime) -> None:
    _detach_from_parent_locks()
    while True:
        try:
            a = conn.recv()
        except EOFError:
            return
        if a is None:
            return
        conn.send(_one(a, now))


def _detach_from_parent_locks() -> None:
    """The child must not keep the parent's writer lock alive, nor outlive it."""
    try:
        from warehouse import lock

        for fd, _ in list(lock._held.values()):
            try:
                os.close(fd)   # our copy only: the parent's descriptor keeps the lock
            except OSError:
                pass
    except Exception:
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:
        pass
