"""The wording of the explanation sections: headings and what they are about, the labels of
figures in sentences, the verbs that say a figure changed, and the words of the small tables
printed among the sentences (assets, staff, procurement)."""

import re

# Heading keywords → section kind, first match wins (三公 headings also say 增减 and 支出).
SECTION_KINDS = (
    ("名词解释", "glossary"),
    ("三公", "three_costs"),
    ("机关运行", "operating"),
    ("政府采购", "procurement"),
    ("资产", "assets"),
    ("机构设置", "staffing"),
    ("人员编制", "staffing"),
    ("人员情况", "staffing"),
    ("职责", "duties"),
    ("绩效", "performance"),
    ("其他需要说明", "other"),
    ("目录", "contents"),
    ("收入", "totals"),
    ("支出", "totals"),
    ("收支", "totals"),
    ("增减", "totals"),
    ("总体情况", "totals"),
    ("预算安排", "totals"),
    ("编制说明", "totals"),
)

_Q = r"[“”\"‘’']?"
# Labels of figures in sentences: (pattern, block, keys, measure). A key None marks a
# figure that is recognised so that a shorter label inside it (`基金预算收入` holds
# `预算收入`) does not claim it. Where two labels end at the same place the longer wins.
PROSE_LABELS = (
    (r"(?:预算)?收入(?:总计|合计|预算|总额)|预算收入|本年收入合计|总收入", "totals", ("income",), "money"),
    (
        r"(?:预算)?支出(?:总计|合计|预算|总额)|预算支出|本年支出合计|总支出",
        "totals",
        ("expenditure",),
        "money",
    ),
    (r"(?:预算)?收支(?:预算|总预算|总计|安排)?", "totals", ("income", "expenditure"), "money"),
    (r"一般公共预算(?:财政)?拨款(?:收入)?|一般公共预算收入", "totals", ("general_budget_income",), "money"),
    (r"财政拨款收(?:入)?支(?:出)?总计", "totals", ("fiscal_total",), "money"),
    (r"一般公共预算(?:财政)?拨款支出(?:预算|决算)?", "totals", ("general_budget_expenditure",), "money"),
    (r"政府性基金(?:预算)?(?:财政)?拨款支出(?:预算|决算)?", "totals", ("fund_expenditure",), "money"),
    (
        r"国有资本经营预算(?:财政)?拨款支出(?:预算|决算)?",
        "totals",
        ("state_capital_expenditure",),
        "money",
    ),
    (r"基本支出", "totals", ("basic",), "money"),
    (r"人员经费(?:支出)?|人员支出", "totals", ("personnel",), "money"),
    (r"(?:日常|正常)?公用经费(?:支出)?|(?:日常)?公用支出", "totals", ("public",), "money"),
    (r"项目支出", "totals", ("project",), "money"),
    (r"(?:单位)?预留机动(?:经费|资金)", "totals", ("reserve",), "money"),
    (r"机关运行(?:经)?费(?:用)?", "totals", ("operating",), "money"),
    (
        r"(?:政府性)?基金(?:预算)?(?:拨款)?收入|国有资本经营预算(?:拨款)?收入|财政专户(?:核拨|管理资金)?收入"
        r"|其他(?:来源)?收入|上年结转(?:结余)?|事业(?:单位经营)?收入|经营收入|行政事业性收费(?:收入)?"
        r"|上级补助收入|附属单位上缴收入|财政拨款收入",
        "totals",
        (None,),
        "money",
    ),
    (rf"{_Q}三公{_Q}经费", "three_costs", ("total",), "money"),
    (r"因公出国[（(]境[）)]费(?:用)?|因公出国费(?:用)?|出国费", "three_costs", ("overseas",), "money"),
    (
        r"公务用车购置(?:及|和)运(?:行维护|行|维)费(?:用)?|公务用车费(?:用)?",
        "three_costs",
        ("vehicle",),
        "money",
    ),
    (r"公务用车购置(?:费)?|车辆购置费", "three_costs", ("vehicle_purchase",), "money"),
    (
        r"公务用车运(?:行维护|行|维)费(?:用)?|运行维护费|运维费",
        "three_costs",
        ("vehicle_operation",),
        "money",
    ),
    (r"公务接待费(?:用)?|接待费", "three_costs", ("reception",), "money"),
    (r"固定资产(?:金额|总额|总值|原值|价值)?|资产总额", "assets", ("fixed_assets_total",), "money"),
    (r"(?:拟|计划)?(?:新增|购置)固定资产(?:金额|总额)?", "assets", (None,), "money"),
    (r"车辆|公务用车|公车", "assets", ("vehicles_count",), "vehicles"),
    (r"政府采购(?:预算)?(?:总额|金额|资金)?|采购预算", "procurement", ("total",), "money"),
    (r"货物类?(?:采购)?(?:预算)?", "procurement", ("goods",), "money"),
    (r"工程类?(?:采购)?(?:预算)?", "procurement", ("works",), "money"),
    (r"服务类?(?:采购)?(?:预算)?", "procurement", ("services",), "money"),
    (r"(?:核定|实有)?编制(?:人数|数)?", "staffing", ("authorized",), "people"),
    (r"在职(?:人员|人数|职工)?", "staffing", ("in_service",), "people"),
    (r"离退休(?:人员|人数)?|退休(?:人员|人数)?", "staffing", ("retired",), "people"),
)

# Verbs and phrases around an amount: it rose, fell, stayed flat, is a limit, was budgeted or spent.
RISE = re.compile(r"(?<!新)(?:增加|增长|上升|提高|增)了?\s*$")
FALL = re.compile(r"(?:减少|下降|降低|压减|压缩|节约|节省|减)了?\s*$")
# `单价在20万元以上的设备` states a limit, not a figure.
THRESHOLD = re.compile(r"\s*(?:以上|以下|以内|及以上)")
FLAT = re.compile(r"(?:(?:与|比|较|同)(?:上年|去年|上一年度?)(?:相比)?)?(?:基本)?持平|无增减变化|没有变化")
# What a final account says before an amount: the budget it started from, or what was spent.
BUDGETED = re.compile(r"(?:年初|全年|调整后)?预算(?:数|金额)?(?:为|是)?\s*$")
SPENT = re.compile(r"决算(?:数|金额)?(?:为|是)?\s*$|实际支出\s*$")

# 固定资产占用情况表 rows: label → the key its 数量 and its 价值 columns give.
ASSET_ROWS = (
    (re.compile(r"^(?:资产总额|固定资产总额|固定资产合计|合计)"), {"value": "fixed_assets_total"}),
    (re.compile(r"^(?:\d+[、.．])?车辆"), {"quantity": "vehicles_count", "value": "vehicles_value"}),
)
# 部门基本情况表 column groups → staffing key (车辆编制数 counts cars).
STAFF_COLUMNS = (
    ("车辆", "vehicles_authorized"),
    ("编制", "authorized"),
    ("在职|实有", "in_service"),
    ("离退|退休|离休", "retired"),
)
# Sub-columns under one group; a new group starts where a label repeats or its family changes.
STAFF_SUBCOLUMN_FAMILIES = (
    ("行政", "事业", "参公", "工勤", "其他", "合计", "小计"),
    ("离休", "退休", "退职"),
)
