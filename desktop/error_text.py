"""Errors in the UI language: a ``TomoshibiError`` with a ``code`` (models/errors.py ``Code``) becomes a
message written for this app's users, in Japanese or English; one without a code keeps its own text.

Engine notes that are stable constants (the documents embedding notice) are translated here too.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from models.errors import Code, TomoshibiError


def _messages() -> dict[str, str]:
    # Built at call time so that the current language's translator is used.
    return {
        Code.OFFLINE: QCoreApplication.translate(
            "ErrorText",
            "You are offline. Connect to the internet, or choose a folder you have already downloaded.",
        ),
        Code.HUB_UNREACHABLE: QCoreApplication.translate(
            "ErrorText",
            "The model site cannot be reached. Check your internet connection and try again, or choose a folder you have already downloaded.",
        ),
        Code.HUB_TIMEOUT: QCoreApplication.translate(
            "ErrorText",
            "The model site did not answer in time. Try again in a moment; a started download goes on where it stopped.",
        ),
        Code.GATED: QCoreApplication.translate(
            "ErrorText",
            "This model asks you to accept its licence on its web page before downloading. Accept it there and sign in, then try again.",
        ),
        Code.NOT_FOUND: QCoreApplication.translate(
            "ErrorText", "This model was not found. Check the name (it looks like owner/name) and try again."
        ),
        Code.DISK_FULL: QCoreApplication.translate(
            "ErrorText",
            "There is not enough free disk space. Free some space or choose another place, then try again.",
        ),
        Code.NO_MEMORY: QCoreApplication.translate(
            "ErrorText",
            "This model needs more memory than this computer has free. Close other apps, or choose a smaller model or a smaller size.",
        ),
        Code.NOT_A_CHECKPOINT: QCoreApplication.translate(
            "ErrorText",
            "This folder does not hold a model to convert (there is no config.json). Choose the folder that holds config.json and the weight files.",
        ),
        Code.UNSUPPORTED: QCoreApplication.translate(
            "ErrorText",
            "This kind of model cannot be converted yet. Choose another model, or download a ready-made GGUF in the model library.",
        ),
        Code.CANCELLED: QCoreApplication.translate(
            "ErrorText", "Cancelled. Nothing half-finished was left behind."
        ),
        Code.ENGINE_CRASHED: QCoreApplication.translate(
            "ErrorText", "The model stopped unexpectedly. Reload the model to go on."
        ),
    }


# Codes whose English text carries figures or names worth keeping (sizes, the architecture): an
# English UI shows the error's own text; other languages get the translated message.
_DETAILED = {Code.NO_MEMORY, Code.DISK_FULL, Code.UNSUPPORTED, Code.GATED, Code.NOT_FOUND}


def user_message(error: BaseException) -> str:
    """What to show for ``error``: the translated message for its code, else its own text."""
    code = getattr(error, "code", "")
    english = QLocale().language() == QLocale.Language.English
    if code in _DETAILED and english and isinstance(error, TomoshibiError) and error.problem:
        return str(error)
    if code == Code.DISK_FULL and isinstance(error, TomoshibiError):
        from models.disk import disk_figures

        figures = disk_figures(error.problem)
        if figures:
            return (
                QCoreApplication.translate(
                    "ErrorText",
                    "There is not enough free disk space: %1 is needed and %2 is free. Free some space or choose another place, then try again.",
                )
                .replace("%1", figures[0])
                .replace("%2", figures[1])
            )
    if code:
        text = _messages().get(code)
        if text:
            return text
    if isinstance(error, TomoshibiError):
        return str(error)
    return QCoreApplication.translate("ErrorText", "Something went wrong: %1").replace(
        "%1", type(error).__name__
    )


def translate_note(note: str) -> str:
    """A documents search note in the UI language (the notes are the engine's stable constants)."""
    from models.documents.collection import OTHER_EMBEDDER_NOTE
    from models.documents.embedder import CHAT_MODEL_NOTE

    if note == CHAT_MODEL_NOTE:
        from .embedding_offer import recommended_embedding

        entry = recommended_embedding()
        if entry is not None:  # name the model, as the offer under the note does
            return QCoreApplication.translate(
                "ErrorText",
                "No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install %1, the embedding model recommended for this computer.",
            ).replace("%1", entry.name)
        return QCoreApplication.translate(
            "ErrorText",
            "No embedding model is installed, so the chat model's own embeddings are used; reworded questions are found less reliably. Install a multilingual embedding model from the model library.",
        )
    if note == OTHER_EMBEDDER_NOTE:
        return QCoreApplication.translate(
            "ErrorText",
            "This collection was indexed with another embedding model; only keyword search is used until you press “Update index”.",
        )
    return note
