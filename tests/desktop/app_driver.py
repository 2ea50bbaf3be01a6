"""Runs the real app in a child process for the tests that need one (kill -9, a real X screen).

    python tests/desktop/app_driver.py generate          prints TOKEN once an answer streams
    python tests/desktop/app_driver.py screenshot ja OUT  saves the main window as a PNG

Builds the window exactly as ``desktop.app.run_app`` does, then drives it like a user.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import i18n
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    mode = sys.argv[1]
    app = QApplication([sys.argv[0]])
    settings = AppSettings()
    if mode == "screenshot":
        settings.language = sys.argv[2]
    i18n.apply_language(settings.language)
    window = MainWindow(settings)
    window.show()
    window.start()

    if mode == "generate":
        said = []

        def first_token(_text: str) -> None:
            if not said:
                said.append(1)
                print("TOKEN", flush=True)

        window.host.worker.token.connect(first_token)
        spins = window.conversation_settings.spins
        spins["temperature"].setValue(0.0)
        spins["max_tokens"].setValue(4000)
        window.new_chat()  # the app reopens the last conversation; this is a new one
        window.input.setPlainText("Write a very long story about a lighthouse keeper and his cat.")
        window.input.submit()  # typed before the model is ready: it waits for it
    elif mode == "screenshot":
        out = Path(sys.argv[3])

        def shoot() -> None:
            if not window.controller.model_ready:
                QTimer.singleShot(200, shoot)
                return
            window.model_panel.set_tokens_per_second(window.chat_view.messages[-1].tokens_per_second)
            QApplication.processEvents()
            screen = window.screen()
            pixmap = screen.grabWindow(window.winId())
            if pixmap.isNull() or pixmap.width() < 100:
                pixmap = window.grab()
            pixmap.save(str(out))
            print(f"SAVED {out} {pixmap.width()}x{pixmap.height()} {app.platformName()}", flush=True)
            window.close()

        QTimer.singleShot(300, shoot)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
