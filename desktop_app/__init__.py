"""學生學習歷程檔案 教務處作業系統 (registrar's office desktop app)."""

__version__ = "0.1.0"
APP_NAME = "desktop-app"
APP_TITLE = "學習歷程檔案 教務處作業系統"
