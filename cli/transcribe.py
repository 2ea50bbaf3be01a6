"""``tomoshibi transcribe FILE.wav [--lang ja|en|auto] [--model PATH]``: print the transcript.

The same path the microphone uses once recording ends: resample to 16 kHz, voice-activity
detection, ≤ 28 s chunks, Whisper (faster-whisper, CPU int8). Progress goes to stderr on a terminal.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe a WAV file offline (Japanese or English)",
        description="Transcribe a WAV file on this machine with Whisper; nothing is sent anywhere.",
    )
    parser.add_argument("file", metavar="FILE.wav", help="a PCM or float WAV file, any sample rate")
    parser.add_argument(
        "--lang", choices=("auto", "ja", "en"), default="auto", help="spoken language (default: auto)"
    )
    parser.add_argument(
        "--model",
        metavar="PATH",
        default=None,
        help="a faster-whisper model folder, or a downloaded speech model id such as whisper-small (default: the bundled Whisper base)",
    )
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: physical cores)")
    parser.add_argument(
        "--stats", action="store_true", help="also print timing and the real-time factor to stderr"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.voice.events import TranscriptionProgress
    from models.voice.transcriber import Transcriber

    show_progress = sys.stderr.isatty()

    def progress(p: TranscriptionProgress) -> None:
        if show_progress and p.chunks > 1:
            print(
                f"\r{int(p.fraction * 100):3d}% (chunk {p.chunk}/{p.chunks})",
                end="",
                file=sys.stderr,
                flush=True,
            )

    transcriber = Transcriber(args.model, cpu_threads=args.threads)
    result = transcriber.transcribe_file(args.file, args.lang, progress=progress)
    if show_progress and result.chunks > 1:
        print(file=sys.stderr)
    if result.no_speech:
        print("tomoshibi: no speech was heard in the file.", file=sys.stderr)
    else:
        print(result.text)
    if args.stats:
        print(
            f"language={result.language} audio={result.audio_seconds:.2f}s speech={result.speech_seconds:.2f}s "
            f"compute={result.compute_seconds:.2f}s rtf={result.real_time_factor:.3f} chunks={result.chunks} "
            f"load={transcriber.load_seconds:.2f}s",
            file=sys.stderr,
        )
    return 0
