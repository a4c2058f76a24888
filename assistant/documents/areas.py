"""The comparison rows: the main areas of 《法治政府建设实施纲要（2021—2025年）》.

Every annual report is written against this national plan, so its areas are the natural rows of a
side-by-side comparison. Each area lists words that show a report speaks of it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    name: str
    keywords: tuple[str, ...]

    @property
    def query(self) -> str:
        return f"{self.name} {' '.join(self.keywords)}"


AREAS: tuple[Area, ...] = (
    Area("政府机构职能体系", ("放管服", "营商环境", "政务服务", "简政放权", "行政审批", "一网通办", "证明事项")),
    Area("依法行政制度体系", ("规范性文件", "合法性审核", "备案审查", "清理", "制度建设")),
    Area("行政决策制度体系", ("重大行政决策", "合法性审查", "法律顾问", "公职律师", "决策程序", "听证")),
    Area("行政执法工作体系", ("行政执法", "三项制度", "执法证", "案卷评查", "包容审慎", "裁量权基准", "综合行政执法", "行政处罚")),
    Area("突发事件应对体系", ("突发事件", "应急", "疫情防控", "安全生产", "防汛")),
    Area("社会矛盾纠纷化解", ("人民调解", "行政复议", "行政应诉", "信访", "法律援助", "矛盾纠纷", "枫桥经验", "出庭")),
    Area("行政权力制约和监督", ("政务公开", "信息公开", "督察", "考核", "监督", "问责")),
    Area("数字法治政府", ("互联网+", "数字", "信息化", "平台", "网上办", "智慧", "大数据")),
    Area("党的领导与推进机制", ("第一责任人", "述法", "学法", "普法", "法治思想", "法治建设委员会", "法律明白人",
                         "法治意识", "法治思维", "法治培训", "法治建设")),
)
# Where a text that names no area's words belongs: the general push for rule of law.
GENERAL_AREA = AREAS[-1]


def area_for(text: str) -> Area:
    """The area whose words a text uses most (ties go to the earlier area; none at all: the general area)."""
    best = max(AREAS, key=lambda a: sum(text.count(k) for k in a.keywords))
    return best if any(k in text for k in best.keywords) else GENERAL_AREA


def topic_area(topic: str) -> Area:
    """A user's own topic (行政复议, 普法) as a single comparison row."""
    from assistant.retrieval.tokens import content_terms

    terms = [t for t in content_terms(topic) if len(t) >= MIN_TOPIC_WORD_CHARS]
    words = tuple(dict.fromkeys([topic.strip(), *terms]))
    return Area(topic.strip(), words)


# Two-character words (行政, 工作) match almost every sentence; a topic's own words must be longer.
MIN_TOPIC_WORD_CHARS = 3
