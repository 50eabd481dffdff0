"""Department names and what a document says it is, as data: the short forms disclosures
print and the full names they stand for, how names end and begin, the labels and headings
that print them, and the title words that say budget or final accounts, department or unit.

A county's department prints its own name in several forms within one document (table
headers say `高邑县政府办`, the title says `高邑县人民政府办公室`) and in different forms
from year to year. `ingest.identity` expands the short forms through `ABBREVIATIONS` so
that every year of one department is filed under one name.
"""

# The part of a name after the county prefix, as printed → as the department is formally named.
# Only expansions that are the same everywhere; names whose full form varies between
# counties (城管局, 文广旅局 …) stay as printed.
ABBREVIATIONS = {
    "政府办": "人民政府办公室",
    "人民政府办": "人民政府办公室",
    "政府办公室": "人民政府办公室",
    "人大办": "人大常委会办公室",
    "发改局": "发展和改革局",
    "发展改革局": "发展和改革局",
    "人社局": "人力资源和社会保障局",
    "住建局": "住房和城乡建设局",
    "卫健局": "卫生健康局",
    "卫计局": "卫生和计划生育局",
    "市场监管局": "市场监督管理局",
    "工信局": "工业和信息化局",
    "科技局": "科学技术局",
    "交通局": "交通运输局",
    "应急局": "应急管理局",
    "医保局": "医疗保障局",
    "退役军人局": "退役军人事务局",
    "文旅局": "文化和旅游局",
    "资规局": "自然资源和规划局",
    "环保局": "环境保护局",
    "农业局": "农业农村局",
    "残联": "残疾人联合会",
    "妇联": "妇女联合会",
    "科协": "科学技术协会",
    "文联": "文学艺术界联合会",
    "工商联": "工商业联合会",
}

# How department and unit names end; a line that ends otherwise is not a name.
NAME_ENDINGS = (
    "办公室",
    "委员会",
    "政府",
    "中心",
    "局",
    "办",
    "委",
    "院",
    "所",
    "站",
    "队",
    "馆",
    "会",
    "联",
    "社",
    "部",
    "处",
    "室",
    "团",
    "校",
    "厅",
    "场",
    "台",
    "中学",
    "小学",
    "幼儿园",
)

# Words ending in 市/区 that are not administrative divisions (城市管理局, 城区 …).
NOT_DIVISIONS = ("城市", "都市", "城区", "市区", "社区", "园区", "景区", "片区", "辖区", "小区")

# Party, league and consultative-conference organs print their prefix before the county:
# 中共高邑县委办公室, 政协上海市普陀区委员会.
ORGAN_PREFIXES = ("中国共产党", "中共", "中国共产主义青年团", "共青团", "中国人民政治协商会议", "政协")

# Labels before the department's name: on the cover (预算主管部门：…) and above each table
# (编制部门：… 单位：元).
COVER_LABELS = ("预算主管部门", "主管部门")
TABLE_LABELS = ("编制部门", "编制单位")

# Headings made of the department's name and what the section tells about it.
PROFILE_HEADINGS = ("概况", "主要职能", "主要职责", "基本情况")

# Forms the same unit prints around its name: the unit itself (本级) or with its subsidiaries.
NAME_DECORATIONS = ("（含所属单位）", "(含所属单位)", "（含下属单位）", "(含下属单位)", "本级", "机关")

# --- what a document says it is ------------------------------------------------------------

# Lines that say what they are: a title or the opening sentence of the explanation.
TITLE_WORDS = ("公开", "说明", "报告")
# Names of classification rows (`201 一般公共服务支出`), which a code header never is.
CLASSIFICATION_ENDINGS = ("支出", "收入", "费", "事务", "补助", "保险", "缴费")
# The words of a title that say what the document is: a budget or final accounts, of a
# department (with its units) or of one unit.
DOCUMENT_KINDS = {"预算": "budget", "决算": "final_accounts"}
DOCUMENT_LEVELS = {"部门": "department", "单位": "unit"}
