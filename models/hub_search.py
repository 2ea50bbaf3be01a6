"""Finding GGUF models on the hub: search repositories, list their files with sizes and quantizations."""

from __future__ import annotations

from dataclasses import dataclass

from .hub import check_online, endpoint, hub_errors
from .quant_names import quant_from_filename, split_part


@dataclass(frozen=True)
class HubRepo:
    repo: str
    downloads: int
    likes: int
    gated: bool
    tags: tuple[str, ...]
    last_modified: str | None


@dataclass(frozen=True)
class HubFile:
    repo: str
    name: str
    size: int | None
    sha256: str | None
    quantization: str | None  # from the file name ("Q4_K_M"); the header decides once downloaded
    part: tuple[int, int] | None  # (n, of) for split GGUF files


def _api():  # type: ignore[no-untyped-def]
    from huggingface_hub import HfApi

    return HfApi(endpoint=endpoint())


def search_gguf(query: str, limit: int = 20) -> list[HubRepo]:
    """GGUF repositories whose name matches ``query``, most downloaded first."""
    check_online()
    with hub_errors(query):
        models = list(_api().list_models(search=query, filter="gguf", sort="downloads", limit=limit))
    return [
        HubRepo(
            repo=m.id,
            downloads=int(m.downloads or 0),
            likes=int(m.likes or 0),
            gated=bool(m.gated),
            tags=tuple(m.tags or ()),
            last_modified=m.last_modified.isoformat() if m.last_modified else None,
        )
        for m in models
    ]


def list_repo_files(repo: str, revision: str | None = None) -> list[HubFile]:
    """Every file of a repository with its size and LFS sha256."""
    check_online()
    with hub_errors(repo):
        info = _api().model_info(repo, revision=revision, files_metadata=True)
    files = []
    for sibling in info.siblings or []:
        lfs = sibling.lfs
        files.append(
            HubFile(
                repo=repo,
                name=sibling.rfilename,
                size=sibling.size if sibling.size is not None else (lfs.size if lfs else None),
                sha256=lfs.sha256 if lfs else None,
                quantization=quant_from_filename(sibling.rfilename),
                part=split_part(sibling.rfilename),
            )
        )
    return files


def list_gguf_files(repo: str, revision: str | None = None) -> list[HubFile]:
    """The GGUF files of a repository, smallest first."""
    ggufs = [f for f in list_repo_files(repo, revision) if f.name.lower().endswith(".gguf")]
    return sorted(ggufs, key=lambda f: (f.size is None, f.size or 0, f.name))
