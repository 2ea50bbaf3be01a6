"""Evaluation results in SQLite (``evaluations_dir()/results.sqlite3``), so runs months apart compare.

Every run records the Tomoshibi version, the prompt set's hash, the preset name and version, and each
model file's SHA-256: ``model_changes()`` finds a model path whose file is not the one measured before.
Schema changes are ordered, registered migrations recorded in ``_migrations``, as in conversations.py.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..migrations import MigrationList
from ..paths import evaluations_dir
from .checks import Check, CheckResult
from .hashing import cached_sha256
from .results import EvalRun, ModelResult, TurnResult

MIGRATIONS = MigrationList()
migration = MIGRATIONS.register


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created REAL NOT NULL,
            tomoshibi_version TEXT NOT NULL,
            prompt_set TEXT NOT NULL,
            prompt_set_sha256 TEXT NOT NULL,
            prompts TEXT NOT NULL,
            preset_name TEXT,
            preset_version INTEGER,
            params TEXT NOT NULL DEFAULT '{}',
            perplexity_file TEXT,
            report_path TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE run_models (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size_bytes INTEGER NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            quant TEXT NOT NULL DEFAULT '',
            architecture TEXT NOT NULL DEFAULT '',
            load_seconds REAL NOT NULL DEFAULT 0,
            peak_rss INTEGER NOT NULL DEFAULT 0,
            perplexity REAL,
            perplexity_tokens INTEGER NOT NULL DEFAULT 0,
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run_id, position)
        )"""
    )
    db.execute(
        """CREATE TABLE answers (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            prompt_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            finish_reason TEXT NOT NULL DEFAULT '',
            prompt_tokens INTEGER NOT NULL DEFAULT 0,
            completion_tokens INTEGER NOT NULL DEFAULT 0,
            tokens_per_second REAL NOT NULL DEFAULT 0,
            time_to_first_token REAL NOT NULL DEFAULT 0,
            seconds REAL NOT NULL DEFAULT 0,
            checks TEXT NOT NULL DEFAULT '[]',
            error TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (run_id, position, prompt_id, turn)
        )"""
    )
    db.execute("CREATE INDEX run_models_by_path ON run_models(path)")
    db.execute(
        """CREATE TABLE file_hashes (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        )"""
    )


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every registered migration not yet recorded; returns the names applied now."""
    return MIGRATIONS.apply(db)


@dataclass(frozen=True)
class RunSummary:
    id: int
    created: float
    tomoshibi_version: str
    prompt_set: str
    preset: str  # "name v3", or "" without a preset
    models: tuple[str, ...]  # file names
    report_path: str | None


@dataclass(frozen=True)
class ModelChange:
    """A model path whose file changed between two runs."""

    path: str
    old_sha256: str
    new_sha256: str
    old_run: int
    new_run: int


class EvalStore:
    """All stored evaluation runs. One connection, used from one thread."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else evaluations_dir() / "results.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path))
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        migrate(self._db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> EvalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sha256(self, path: str | Path) -> str:
        return cached_sha256(self._db, path)

    # ---- writing ---------------------------------------------------------------------------------
    def save_run(self, run: EvalRun) -> int:
        with self._db as db:
            cur = db.execute(
                "INSERT INTO runs (created, tomoshibi_version, prompt_set, prompt_set_sha256, prompts, preset_name,"
                " preset_version, params, perplexity_file, report_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.created,
                    run.tomoshibi_version,
                    run.prompt_set,
                    run.prompt_set_sha256,
                    json.dumps(run.prompts, ensure_ascii=False),
                    run.preset_name,
                    run.preset_version,
                    json.dumps(run.params),
                    run.perplexity_file,
                    run.report_path,
                ),
            )
            run_id = int(cur.lastrowid or 0)
            for position, model in enumerate(run.models):
                db.execute(
                    "INSERT INTO run_models VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run_id,
                        position,
                        model.path,
                        model.sha256,
                        model.size_bytes,
                        model.label,
                        model.quant,
                        model.architecture,
                        model.load_seconds,
                        model.peak_rss,
                        model.perplexity,
                        model.perplexity_tokens,
                        model.error,
                    ),
                )
                for t in model.turns:
                    db.execute(
                        "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            run_id,
                            position,
                            t.prompt_id,
                            t.turn,
                            t.question,
                            t.answer,
                            t.finish_reason,
                            t.prompt_tokens,
                            t.completion_tokens,
                            t.tokens_per_second,
                            t.time_to_first_token,
                            t.seconds,
                            json.dumps([_check_dict(c) for c in t.checks], ensure_ascii=False),
                            t.error,
                        ),
                    )
        run.id = run_id
        return run_id

    def set_report_path(self, run_id: int, path: str | Path) -> None:
        with self._db as db:
            db.execute("UPDATE runs SET report_path = ? WHERE id = ?", (str(path), run_id))

    # ---- reading ---------------------------------------------------------------------------------
    def list_runs(self) -> list[RunSummary]:
        """Newest first."""
        out = []
        for row in self._db.execute("SELECT * FROM runs ORDER BY id DESC").fetchall():
            names = [
                Path(r["path"]).name
                for r in self._db.execute(
                    "SELECT path FROM run_models WHERE run_id = ? ORDER BY position", (row["id"],)
                )
            ]
            preset = f"{row['preset_name']} v{row['preset_version']}" if row["preset_name"] else ""
            out.append(
                RunSummary(
                    row["id"],
                    row["created"],
                    row["tomoshibi_version"],
                    row["prompt_set"],
                    preset,
                    tuple(names),
                    row["report_path"],
                )
            )
        return out

    def load_run(self, run_id: int) -> EvalRun:
        row = self._db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise ConfigError(
                f"There is no evaluation run {run_id}.", "List the runs with: tomoshibi eval --history"
            )
        run = EvalRun(
            created=row["created"],
            tomoshibi_version=row["tomoshibi_version"],
            prompt_set=row["prompt_set"],
            prompt_set_sha256=row["prompt_set_sha256"],
            prompts=json.loads(row["prompts"]),
            preset_name=row["preset_name"],
            preset_version=row["preset_version"],
            params=json.loads(row["params"]),
            perplexity_file=row["perplexity_file"],
            id=row["id"],
            report_path=row["report_path"],
        )
        for m in self._db.execute(
            "SELECT * FROM run_models WHERE run_id = ? ORDER BY position", (run_id,)
        ).fetchall():
            model = ModelResult(
                path=m["path"],
                sha256=m["sha256"],
                size_bytes=m["size_bytes"],
                label=m["label"],
                quant=m["quant"],
                architecture=m["architecture"],
                load_seconds=m["load_seconds"],
                peak_rss=m["peak_rss"],
                perplexity=m["perplexity"],
                perplexity_tokens=m["perplexity_tokens"],
                error=m["error"],
            )
            for a in self._db.execute(
                "SELECT * FROM answers WHERE run_id = ? AND position = ? ORDER BY rowid",
                (run_id, m["position"]),
            ):
                model.turns.append(
                    TurnResult(
                        prompt_id=a["prompt_id"],
                        turn=a["turn"],
                        question=a["question"],
                        answer=a["answer"],
                        finish_reason=a["finish_reason"],
                        prompt_tokens=a["prompt_tokens"],
                        completion_tokens=a["completion_tokens"],
                        tokens_per_second=a["tokens_per_second"],
                        time_to_first_token=a["time_to_first_token"],
                        seconds=a["seconds"],
                        checks=tuple(_check_result(c) for c in json.loads(a["checks"])),
                        error=a["error"],
                    )
                )
            run.models.append(model)
        return run

    def model_changes(self, run_id: int | None = None) -> list[ModelChange]:
        """Model paths whose SHA-256 differs from the previous run that measured the same path.

        With ``run_id``, only the changes that run revealed.
        """
        rows = self._db.execute(
            "SELECT run_id, path, sha256 FROM run_models ORDER BY run_id, position"
        ).fetchall()
        last: dict[str, tuple[str, int]] = {}
        changes = []
        for row in rows:
            seen = last.get(row["path"])
            if seen is not None and seen[0] != row["sha256"] and seen[1] != row["run_id"]:
                if run_id is None or row["run_id"] == run_id:
                    changes.append(ModelChange(row["path"], seen[0], row["sha256"], seen[1], row["run_id"]))
            last[row["path"]] = (row["sha256"], row["run_id"])
        return changes


def _check_dict(result: CheckResult) -> dict[str, object]:
    c = result.check
    return {
        "type": c.kind,
        "value": c.value,
        "turn": c.turn,
        "ignore_case": c.ignore_case,
        "passed": result.passed,
        "detail": result.detail,
    }


def _check_result(data: dict[str, object]) -> CheckResult:
    check = Check(str(data["type"]), data["value"], int(data.get("turn", 1)), bool(data.get("ignore_case")))  # type: ignore[call-overload]
    return CheckResult(check, bool(data["passed"]), str(data.get("detail", "")))
