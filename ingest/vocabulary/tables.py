"""What the standard budget tables look like, as data: titles, units, column headers, row labels.

The national template (财预〔2016〕143号) and the Hebei county template name the same tables in
several ways (部门预算收支总表 / 部门收支预算总表 / 收支总体情况表, and 决算 for final accounts);
these mappings are the one place that knows the wordings, so another county's wording is one
line here, not a new branch in `tables.py`. Every pattern is matched against `squash`ed text:
spaces, quotes and the numbering in front of a label removed.
"""

import re

# --- table titles ---------------------------------------------------------------------------

# (kind, pattern on the squashed title), most specific first: the first match names the table.
# A title is a short paragraph that ends with one of these; `tables.py` also requires rows to follow.
TABLE_TITLES = [
    ("three_costs", re.compile(r"三公.*(经费|支出).*(表|预算|决算)$")),
    ("non_tax", re.compile(r"非税收入.*(表|计划|预算)$")),
    ("fiscal_summary", re.compile(r"财政拨款(收支|收入支出).*(总表|总体情况表)$")),
    ("basic", re.compile(r"基本支出(预算|决算)?(明细)?(表|情况表)?(\(按经济分类\))?$")),
    ("general_budget", re.compile(r"一般公共预算(财政拨款)?支出(预算|决算)?(明细)?(表|情况表)$")),
    ("fund", re.compile(r"政府性?基金(预算)?(财政拨款)?(收入)?支出(预算|决算)?(表|情况表)$")),
    ("state_capital", re.compile(r"国有资本经营(预算)?(财政拨款)?(收入)?支出(预算|决算)?(表|情况表)$")),
    ("project", re.compile(r"项目支出(预算|决算)?(明细)?(表|情况表)?$")),
    ("personnel", re.compile(r"人员经费(支出)?(预算|决算)?(明细)?(表|情况表)?$")),
    ("public", re.compile(r"(日常|正常)?公用经费(支出)?(预算|决算)?(明细)?(表|情况表)?$")),
    ("summary", re.compile(r"收支(预算|决算)?总表$|收支总体情况表$|收入支出(预算|决算)?总表$|财务收支.*表$")),
    ("income", re.compile(r"收入(预算|决算)?总表$|收入总体情况表$|收入(预算|决算)表$")),
    ("expenditure", re.compile(r"支出(预算|决算)?总表$|支出总体情况表$|^(部门)?支出(预算|决算)表$")),
    ("staffing", re.compile(r"(部门|单位)基本情况表$|人员(编制|构成)情况表$")),
]

# `部门收支总表（单位：万元）`, `…（按功能分类）`: what follows the name in brackets.
TITLE_SUFFIX = re.compile(r"(\([^()]*\))+$")
# A title names a table, a budget or a plan; a heading such as `1、基本支出` names a topic.
TITLE_ENDING = re.compile(r"(表|预算|决算|计划)$")
# Titles are short; a sentence that merely names a table ("收支预算总表支出栏、基本支出表…") is not one.
TITLE_MAX_LENGTH = 48
TITLE_REJECT = re.compile(
    r"[，。；,;]|说明|情况及|目录|^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]"
)

# Titles of tables a disclosure prints that are not budget tables of money by classification:
# a table with such a title is never taken for one because of its codes.
NOT_A_BUDGET_TABLE = re.compile(r"采购|资产|绩效|目标|评价|债务|收费|非税|基本情况|编制|人员.*情况|机构|名单")

# What each kind of table is called where it printed no title (the preview and provenance).
TABLE_KIND_NAMES = {
    "summary": "收支总表",
    "income": "收入总表",
    "expenditure": "支出总表",
    "fiscal_summary": "财政拨款收支总表",
    "general_budget": "一般公共预算支出表",
    "fund": "政府性基金预算支出表",
    "state_capital": "国有资本经营预算支出表",
    "basic": "基本支出表",
    "project": "项目支出表",
    "personnel": "人员经费表",
    "public": "公用经费表",
    "three_costs": "“三公”经费表",
    "non_tax": "非税收入表",
    "staffing": "基本情况表",
}

# --- what a table's own words say it is (title and header together) -------------------------

# Which money a table of functional classes covers, by the words of its title or header.
FUNDS_WORDS = [
    ("fund", re.compile(r"政府性基金")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("general_budget", re.compile(r"一般公共预算|财政拨款")),
]
# Columns of a table of income by source (收入总表): 财政拨款收入, 事业收入, 上级补助收入…
INCOME_COLUMN = re.compile(
    r"^(财政拨款|一般公共预算|事业|经营|其他|上级补助|附属单位上缴|事业单位经营)收入$|^财政拨款$"
)
# Words of a table of money at all: a coded table that names neither is not a budget table.
MONEY_WORDS = re.compile(r"支出|收入|预算|决算")

# Tables holding money from the finance bureau only; the others cover all of a department's money.
FISCAL_TITLE = re.compile(r"财政拨款|一般公共预算")
FINAL_ACCOUNTS_TITLE = re.compile(r"决算")

# The kind of classification the rows of each table carry.
ROW_CLASSIFICATION = {
    "income": "functional",
    "expenditure": "functional",
    "general_budget": "functional",
    "fund": "functional",
    "state_capital": "functional",
    "basic": "economic",
    "personnel": "economic",
    "public": "economic",
    "project": "project",
}

# Merging the same code printed in several tables: the earlier kind fills a field first.
TABLE_PRIORITY = [
    "expenditure",
    "income",
    "general_budget",
    "fund",
    "state_capital",
    "basic",
    "personnel",
    "public",
    "project",
]

# --- lines printed above and between table pages -------------------------------------------

# Page headers repeated on every page: `434 高邑县政府办`, `预算年度：2022`, `编制单位：…`.
# Page numbers (`- 3 -`, `第 3 页`) are printed between the pages of a table too.
PAGE_HEADER = re.compile(
    r"^(?:\d{3,}(?![\d年])\s*[\u4e00-\u9fff（）()]+|(?:预算|决算)?年度[:：]?\s*\d{4}.*|"
    r"(?:编制)?(?:单位|部门)(?:名称)?[:：].*|(?:金额)?单位[:：]\s*(?:万元|千元|亿元|元|人)|"
    r"\d{1,3}|[-—]\s*\d{1,3}\s*[-—]|第\s*\d+\s*页.*|共\s*\d+\s*页.*)$"
)
# Lines of text a table may be interrupted by (a footnote at a page end) before it goes on.
STRAY_LINES = 2
NOTE = re.compile(r"^(?:注|说明|备注)[:：]")
# The row of column numbers under the header; PDFs misprint 栏次 as 档次.
COLUMN_NUMBER_ROW = {"栏次", "档次", "行次"}
# Headings that start the per-unit repeat of the tables (涞源 2016: 第二部分 预算单位收支预算情况).
UNIT_PART = re.compile(r"预算单位.*(?:情况|预算)$|单位预算$|收支预算$")

# --- columns ----------------------------------------------------------------------------------

# Column meaning from its header text (deepest header row first); the first matching column wins.
CODE_COLUMN = {
    "functional": [re.compile(r"功能.*(编码|代码)"), re.compile(r"科目(编码|代码)$|^(编码|代码)$")],
    "economic": [re.compile(r"经济.*(编码|代码)"), re.compile(r"科目(编码|代码)$|^(编码|代码)$")],
    "project": [re.compile(r"功能.*(编码|代码)"), re.compile(r"科目(编码|代码)$")],
}
NAME_COLUMN = [
    re.compile(r"科目名称|项目名称"),
    re.compile(r"名称$"),
    re.compile(r"^项目$|支出项目$|收支项目$|内容$|^项目\(.*\)$"),
]
# Codes printed over three columns headed 类 / 款 / 项.
SPLIT_CODE_PARTS = ("类", "款", "项")
# A code printed in front of the name in the name cell: `[2010301]行政运行`, `30101 基本工资`.
CODE_IN_NAME = re.compile(r"^[\[【]?(\d{3}(?:\d{2}){0,2})[\]】]?\s*(?=[\u4e00-\u9fff])")
SERIAL_COLUMN = re.compile(r"^(序号|行次|编号)$")
VALUE_COLUMNS = {
    "amount": re.compile(r"^(合计|总计|金额合计|预算数|预算金额|金额|决算数|本年预算|本年(收入|支出)合计)$"),
    "basic": re.compile(r"^基本支出$"),
    "project": re.compile(r"^项目支出$"),
    "personnel": re.compile(r"^人员经费$"),
    "public": re.compile(r"^(日常)?公用经费$"),
    # The other spending of 事业单位 a 支出总表 prints beside 基本支出 and 项目支出.
    "business": re.compile(r"^(事业单位)?经营支出$"),
    "to_superior": re.compile(r"^上(缴|解)上级支出$"),
    "to_subsidiary": re.compile(r"^对(附属|下级)单位补助支出$"),
    # A third block of spending some provinces print beside 基本支出 and 项目支出.
    "reserve": re.compile(r"^(单位)?预留(机动)?(经费|资金)?$"),
}

# Final accounts print what was budgeted beside what was spent: 预算数 | 决算数.
ACTUAL_COLUMN = re.compile(r"^(决算数|决算金额|实际支出|本年决算数)$")
BUDGETED_COLUMN = re.compile(r"^(年初)?(预算数|预算金额|全年预算数|调整预算数|预算)$")

# A body row of these labels is a table total, not a line item.
TOTAL_ROW = re.compile(r"(合计|总计|小计)$")

# --- figures read from rows ---------------------------------------------------------------

# Summary tables (收支总表, 财政拨款收支总表) print label/amount pairs; first listed label wins.
SUMMARY_LABELS = {
    "income": ["收入总计", "预算收入总计", "预算收入", "收入合计", "本年收入合计"],
    "expenditure": ["支出总计", "预算支出总计", "预算支出", "支出合计", "本年支出合计"],
    "general_budget_income": [
        "一般公共预算拨款收入",
        "一般公共预算拨款",
        "一般公共预算收入",
        "一般公共预算财政拨款收入",
    ],
    "basic": ["基本支出", "基本支出合计", "基本支出总计"],
    "personnel": ["人员经费", "人员经费支出", "工资福利支出和对个人和家庭的补助"],
    "public": ["日常公用经费", "公用经费", "正常公用经费", "日常公用支出"],
    "project": ["项目支出", "项目支出合计"],
    "business": ["事业单位经营支出", "经营支出"],
    "to_superior": ["上缴上级支出", "上解上级支出"],
    "to_subsidiary": ["对附属单位补助支出"],
    "reserve": ["单位预留机动经费", "预留机动经费", "单位预留"],
}
# Two-sided summary tables head their halves 收入 and 支出 and may print a bare 总计 on each side.
SUMMARY_SIDES = {"收入": "income", "支出": "expenditure"}
SIDED_LABELS = {"总计": 0, "合计": 1}
# Summary figures a 财政拨款 table may give for the department as a whole.
FISCAL_SUMMARY_KEYS = {"general_budget_income"}

# Label rows inside detail tables that carry a total (涞源 2016 基本支出: 基本支出总计 / 人员经费合计).
DETAIL_TOTAL_LABELS = {
    "basic": ["基本支出总计", "基本支出合计"],
    "personnel": ["人员经费合计", "人员经费总计", "工资福利支出和对个人和家庭的补助合计"],
    "public": ["日常公用经费合计", "公用经费合计", "正常公用经费合计"],
}

# The classes each part of 基本支出 adds up (部门经济分类): 人员经费 is 工资福利支出 and
# 对个人和家庭的补助; 公用经费 the other classes (商品和服务支出, 资本性支出 …).
PERSONNEL_CLASSES = ("301", "303")

# The 合计 row of a detail table: which column gives which total.
TOTAL_ROW_COLUMNS = {
    "expenditure": {
        "amount": "expenditure",
        "basic": "basic",
        "project": "project",
        "business": "business",
        "to_superior": "to_superior",
        "to_subsidiary": "to_subsidiary",
        "reserve": "reserve",
    },
    "general_budget": {"amount": "expenditure", "basic": "basic", "project": "project", "reserve": "reserve"},
    "income": {"amount": "income"},
    "basic": {"amount": "basic", "personnel": "personnel", "public": "public"},
    "personnel": {"amount": "personnel"},
    "public": {"amount": "public"},
    "project": {"amount": "project"},
}

# 三公 rows (or columns). 合计 of a 三公及会议培训 table includes 会议费 and 培训费, so it is the
# last choice for `total`.
THREE_COST_LABELS = {
    "total": ["三公经费小计", "三公经费合计", "三公经费", "小计", "合计"],
    "overseas": ["因公出国(境)费", "因公出国(境)费用", "因公出国(境)经费", "因公出国费", "因公出国(境)"],
    "vehicle": [
        "公务用车购置及运维费",
        "公务用车购置及运行维护费",
        "公务用车购置及运行费",
        "公务用车购置和运行维护费",
        "公务用车购置及运行费用",
    ],
    "vehicle_purchase": ["公务用车购置费", "公务用车购置"],
    "vehicle_operation": ["公务用车运行维护费", "公务用车运行费", "公务用车运维费", "公务用车运行维护"],
    "reception": ["公务接待费", "公务接待"],
    "meeting": ["会议费"],
    "training": ["培训费"],
}

# Tables and explanation sections every department budget disclosure is expected to print
# (143号 and the Hebei template); missing ones are listed under `unread`.
EXPECTED_TABLES = [
    "summary",
    "income",
    "expenditure",
    "fiscal_summary",
    "general_budget",
    "basic",
    "three_costs",
]
EXPECTED_SECTIONS = {
    "部门职责及机构设置": re.compile(r"部门职责|机构设置"),
    "预算安排总体情况": re.compile(r"(预算安排|收支)的?总体情况|收入预算说明|收入说明"),
    "机关运行经费": re.compile(r"机关运行经费"),
    "三公经费": re.compile(r"三公.*(经费|预算)"),
    "绩效信息": re.compile(r"绩效"),
    "政府采购": re.compile(r"政府采购"),
    "国有资产": re.compile(r"国有资产|固定资产"),
    "名词解释": re.compile(r"名词解释"),
}
