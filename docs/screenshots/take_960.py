"""The main window's pages at 960x600, its smallest supported size, after real runs.

    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python docs/screenshots/take_960.py zh_CN dark

writes docs/screenshots/960x600/<language>-<theme>/*.png; each line printed gives the
window's size and its minimum size hint when the picture was taken (the window must stay
at 960x600, its minimum within it).
"""
import json, os, sys, tempfile, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[2]; sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "screenshots"))

def main():
    language, theme = sys.argv[1], sys.argv[2]
    out = ROOT / "docs" / "screenshots" / "960x600" / f"{language}-{theme}"; out.mkdir(parents=True, exist_ok=True)
    import take_screenshots as ts
    chinese = language == "zh_CN"
    home = Path(tempfile.mkdtemp(prefix="shots960-")); os.environ["DESKTOP_LLM_HOME"] = str(home)
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.json").write_text(json.dumps({"generation.max_tokens": 64, "summarize.max_tokens": 80, "engine.context_length": 768, "ui.language": language, "ui.theme": theme, "ui.show_welcome": False}))
    from PySide6.QtCore import QEventLoop, QTimer
    from desktop_llm.app import application
    from desktop_llm.core.services import open_services
    from desktop_llm.ui.common.translations import install_translations
    from desktop_llm.ui.main_window import MainWindow
    app = application([]); services = open_services(); install_translations(language)
    window = MainWindow(services); window.show(); window.resize(960, 600)
    def wait(signal, timeout_s=300):
        loop = QEventLoop(); signal.connect(loop.quit); QTimer.singleShot(timeout_s * 1000, loop.quit); loop.exec()
    def settle(seconds=0.4):
        end = time.monotonic() + seconds
        while time.monotonic() < end: app.processEvents(); time.sleep(0.01)
    def save(name):
        settle(); print(name, window.size().toTuple(), window.minimumSizeHint().toTuple(), flush=True)
        window.grab().save(str(out / name))
    try:
        settle(0.5); save("chat-empty.png")
        window.chat_page.send("灯塔有什么用？请用两句话回答。" if chinese else "What is a lighthouse for? Two sentences.")
        wait(window.chat_page.reply_finished); save("chat.png")
        tr = window.show_task("translate"); tr.set_languages("auto", "en" if chinese else "zh-Hans")
        tr.input.setPlainText(ts.SUMMARY_TEXT_ZH.split("\n\n")[0] if chinese else ts.SUMMARY_TEXT.split("\n\n")[0])
        tr.run(); wait(tr.progress_seen); save("translate-running.png"); wait(tr.run_finished); save("translate.png")
        sm = window.show_task("summarize"); path = home / ("西湖镇的一份很长很长的文件名称报告.txt" if chinese else "westmere-harbour-town-annual-report-with-a-long-name.txt")
        path.write_text(ts.SUMMARY_TEXT_ZH if chinese else ts.SUMMARY_TEXT, encoding="utf-8")
        sm.load_file(path); wait(sm.file_loaded); sm.set_length("bullets"); sm.run(); wait(sm.progress_seen); save("summarize-running.png"); wait(sm.run_finished); save("summarize.png")
        se = window.show_task("sentiment"); se.single_input.setPlainText("这家小咖啡馆真不错，店员都很好！" if chinese else "What a lovely little cafe, the staff are wonderful!")
        se.run(); wait(se.run_finished); save("sentiment-single.png")
        se.set_mode("batch"); se.batch_input.setPlainText("\n".join(ts.REVIEWS_ZH if chinese else ts.REVIEWS)); se.run(); wait(se.run_finished); save("sentiment.png")
        window.show_mode(0); window.status_line.showMessage("Downloaded a-model-with-a-rather-long-name-Q4_K_M.gguf; it is in the model list now." if not chinese else "已下载 a-model-with-a-rather-long-name-Q4_K_M.gguf，已在模型列表中。", 60000)
        save("chat-after-message.png")
        window.status_line.clearMessage()
    finally:
        window.close(); window.shutdown(); services.close()

if __name__ == "__main__":
    main(); sys.stdout.flush(); os._exit(0)
