"""PyInstaller runtime hook: stand in for PyAV, which build.spec leaves out of the frozen app.

faster-whisper imports ``av`` when it is imported, but uses it only to decode audio *files*
(``decode_audio``). Tomoshibi reads WAV itself and hands faster-whisper NumPy arrays, so PyAV and its
FFmpeg libraries (~100 MB) would never run. This placeholder satisfies the import and turns any real
use into a clear ImportError instead of a silent failure.
"""

import sys
import types


class _AbsentPyAV(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(
            f"av.{name}: PyAV is not part of this build of Tomoshibi (audio is decoded by Tomoshibi itself). "
            "Pass audio as a NumPy array, or run Tomoshibi from source with PyAV installed."
        )


if "av" not in sys.modules:
    sys.modules["av"] = _AbsentPyAV("av")
