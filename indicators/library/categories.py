"""The kinds of project the common indicators are grouped by (as published
通用共性指标库 group them), and the words in a project's name or 资金用途
that place it in one."""

CATEGORY_WORDS = {
    "购置类": ["购置", "采购", "购买", "设备", "配备", "器材"],
    "培训类": ["培训", "轮训", "研修", "教育"],
    "会议类": ["会议", "会务", "座谈", "论坛"],
    "编纂研究类": ["编纂", "编制", "编印", "研究", "课题", "调研", "规划", "志"],
    "信息化": ["信息化", "信息系统", "系统", "平台", "网络", "软件", "数据", "运维"],
    "宣传类": ["宣传", "宣讲", "宣传品", "公益广告", "科普"],
    # Not 人员 or 保障 alone: 特殊家庭人员 and 保障…救助经费 are not these.
    "人员经费": ["人员经费", "工资", "劳务", "外聘", "派遣", "临时工", "人事代理"],
    "运转保障": [
        "运转",
        "办公",
        "工作经费",
        "经办",
        "业务经费",
        "业务费",
        "日常",
        "公用经费",
    ],
    "补助救助类": ["补助", "补贴", "救助", "资助", "慰问", "帮扶"],
    "检查稽查类": ["检查", "稽查", "稽核", "监督", "审计", "执法", "督查"],
    "第三方服务": ["第三方", "购买服务", "委托", "外包", "评估", "审核服务"],
    "基建维修类": ["维修", "修缮", "改造", "建设", "工程", "装修"],
}
GENERAL = "通用"


def categories_of(text: str) -> set[str]:
    """The categories whose words the text has."""
    return {
        category
        for category, words in CATEGORY_WORDS.items()
        if any(word in (text or "") for word in words)
    }
