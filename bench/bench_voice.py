"""Real-time factor of voice transcription with the bundled Whisper base (faster-whisper, CPU int8).

    .venv/bin/python bench/bench_voice.py [--runs 5] [--threads N] [--model PATH]

Speech is synthesized here (English with espeak-ng, Japanese with pyopenjtalk) into ~10 s clips,
then goes through the same path as the microphone: resample to 16 kHz, VAD, chunks, Whisper. Prints
per language the median compute time ÷ audio length (below 1 = faster than real time; its inverse is
"× real time"), CPU seconds per audio second (what the work costs even on a busy machine), the
extra cost of language auto-detection, the model load time, peak RSS and the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from models.voice.transcriber import Transcriber, default_threads  # noqa: E402
from models.voice.wavfile import read_wav  # noqa: E402
from tests.speech import espeak_wav, japanese_audio  # noqa: E402

ENGLISH = [
    "Hello world. Good morning. Thank you very much.",
    "Please summarize the document I opened yesterday, and keep it short.",
]
JAPANESE = ["東京は日本の首都です。", "こんにちは、今日はいい天気ですね。明日の予定を教えてください。"]


def _clip(parts: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    rate = parts[0][1]
    gap = np.zeros(rate // 2, np.float32)
    return np.concatenate([x for audio, _ in parts for x in (audio, gap)]), rate


def clips(folder: Path) -> dict[str, tuple[np.ndarray, int]]:
    english = [read_wav(espeak_wav(text, folder / f"en{i}.wav")) for i, text in enumerate(ENGLISH)]
    japanese = [japanese_audio(text) for text in JAPANESE]
    return {"en": _clip(english), "ja": _clip(japanese)}


def peak_rss_mb() -> float:
    try:
        import resource

        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6
    except ImportError:  # Windows
        import psutil

        return psutil.Process().memory_info().peak_wset / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--model", default=None, help="faster-whisper model folder (default: bundled base)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("TOMOSHIBI_HOME", str(Path(tmp) / "home"))
        data = clips(Path(tmp))
        transcriber = Transcriber(args.model, cpu_threads=args.threads)
        started = time.perf_counter()
        transcriber.load()
        load = time.perf_counter() - started
        threads = args.threads or default_threads()
        print(
            f"model {args.model or 'bundled whisper-base'}   int8 on CPU, {threads} threads   runs {args.runs}"
        )
        print(f"load (incl. first-use join of the bundled parts if needed): {load:.2f} s")
        transcriber.transcribe(*data["en"], "en")  # warm-up: first call allocates CTranslate2 buffers
        for language, (audio, rate) in data.items():
            seconds = len(audio) / rate
            rtfs, cpu = [], []
            for _ in range(args.runs):
                cpu_started = time.process_time()  # all threads of this process
                rtfs.append(transcriber.transcribe(audio, rate, language).real_time_factor)
                cpu.append((time.process_time() - cpu_started) / seconds)
            auto = [transcriber.transcribe(audio, rate, "auto") for _ in range(max(1, args.runs // 2))]
            median = statistics.median(rtfs)
            auto_median = statistics.median(r.real_time_factor for r in auto)
            text = transcriber.transcribe(audio, rate, language).text
            print(
                f"{language}: clip {seconds:5.1f} s   RTF median {median:.3f} (min {min(rtfs):.3f}, max {max(rtfs):.3f})"
                f" = {1 / median:5.1f}× real time   auto-language RTF {auto_median:.3f}"
                f" (detected {auto[0].language})"
            )
            print(
                f"    CPU seconds per audio second, median {statistics.median(cpu):.3f} (all threads; not inflated by other load)"
            )
            print(f"    {text}")
        print(
            f"peak RSS {peak_rss_mb():.0f} MB   load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )


if __name__ == "__main__":
    main()
