"""Colours and small helpers shared by the 作業期程 views."""

from __future__ import annotations

from desktop_app.domain.calendar import DeadlineItem

# background of a row / bar fill per state
STATE_BACKGROUND = {
    "overdue": "#ffd7d7",
    "due-soon": "#ffe7b3",
    "done": "#e2f0d9",
    "n/a": "#eeeeee",
}
# strong colour of a dot / bar border per state: the Okabe–Ito palette (colour-blind safe);
# the views that use dots show LEGEND_HTML beside them, and lists carry the state in words
STATE_COLOUR = {
    "overdue": "#D55E00",  # vermillion
    "due-soon": "#E69F00",  # orange
    "done": "#009E73",  # bluish green
    "open": "#0072B2",  # blue
    "n/a": "#9e9e9e",
}
OFFICIAL_COLOUR = "#CC79A7"  # reddish purple ring
STATE_WORDS = (("overdue", "逾期"), ("due-soon", "7 天內到期"), ("open", "未到期"), ("done", "已完成"))
LEGEND_HTML = (
    "圖例："
    + "　".join(f"<span style='color:{STATE_COLOUR[k]}'>●</span> {w}" for k, w in STATE_WORDS)
    + f"　<span style='color:{OFFICIAL_COLOUR}'>◯</span> 外框＝國教署期限"
)
KIND_TITLES = {"task": "工作", "official": "國教署", "data": "資料"}
SOURCE_TITLES = {"precheck": "開課預檢紀錄", "meeting": "工作小組會議紀錄", "receipts": "收訖明細"}


def item_label(item: DeadlineItem) -> str:
    """``【國教署】預檢名冊提交`` / ``操作訓練：系統操作``."""
    prefix = "【國教署】" if item.is_official else ""
    body = item.title
    if item.content and item.kind != "data":
        content = item.content if len(item.content) <= 24 else item.content[:22] + "…"
        body = f"{item.title}：{content}"
    return prefix + body


ITEM_ORDER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def item_sort_key(item_name: str) -> tuple[int, str]:
    """``一 行政規劃`` < ``二 研習規劃`` < ``三 平台規劃`` < anything else."""
    return (ITEM_ORDER.get(item_name[:1], 99), item_name)
