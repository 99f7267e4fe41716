"""Uploaded files kept on disk while a preview is confirmed or a background job runs."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any


def save_upload(upload: Any, folder: Path) -> Path:
    """Save an uploaded file into `folder` under a unique, safe name; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.\-]+", "_", Path(upload.name).name)[-80:]
    path = folder / f"{uuid.uuid4().hex[:12]}-{safe}"
    with path.open("wb") as out:
        for piece in upload.chunks():
            out.write(piece)
    return path


class KeptUploads:
    """Files a user uploaded for a preview, kept in SHUXIANG_HOME until confirmed.

    The page shows the preview with a token (the file's name); the confirming POST sends
    the token back instead of the file. Only tokens this session created are honoured.
    Files never confirmed are removed after a day: rosters hold minors' personal data.
    """

    MAX_AGE = 24 * 60 * 60  # seconds

    def __init__(self, session: Any, key: str, folder: Path) -> None:
        self.session, self.key, self.folder = session, key, folder

    def keep(self, upload: Any) -> Path:
        self.prune()
        path = save_upload(upload, self.folder)
        known = self.session.get(self.key, {})
        known[path.name] = str(path)
        self.session[self.key] = known
        return path

    def prune(self, *, now: float | None = None) -> int:
        """Delete previews older than MAX_AGE; returns how many went."""
        if not self.folder.is_dir():
            return 0
        limit = (now if now is not None else time.time()) - self.MAX_AGE
        old = [p for p in self.folder.iterdir() if p.is_file() and p.stat().st_mtime < limit]
        for path in old:
            path.unlink(missing_ok=True)
        return len(old)

    def find(self, token: str) -> Path | None:
        known = self.session.get(self.key, {})
        return Path(known[token]) if token and token in known else None

    def forget(self, path: Path, *, delete: bool = False) -> None:
        """The token no longer works (the upload was used); `delete` removes the file too."""
        known = self.session.get(self.key, {})
        known.pop(path.name, None)
        self.session[self.key] = known
        if delete:
            path.unlink(missing_ok=True)
