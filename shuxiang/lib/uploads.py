"""Uploaded files kept on disk while a preview is confirmed or a background job runs."""

from __future__ import annotations

import re
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
