"""Curated facts about the embedded seed corpus that its text cannot give.

Stable, readable document ids for the 44 distinct documents of data/docs/, keyed by 文号 (or
by title when there is none), and the few dates the text does not state (the 纲要's news lead
says only "10月20日"; the research article is dated by its content). Everything else about a
document is detected from the text (geo._corpus_documents). Sources: the document texts themselves and
/work/shared/corpus-notes/documents.tsv, checked against the text.
"""

from __future__ import annotations

import re
from typing import Any

from geo.corpus._normalize import squash

# key: 文号, or the title with spaces removed → id (+ optional date/issuers when not in the text)
CATALOG: dict[str, dict[str, Any]] = {
    "成渝地区双城经济圈建设规划纲要": {"id": "2020-chengyu-gangyao", "date": "2020-10-20"},
    "成渝共建西部金融中心规划": {"id": "2021-western-finance-center-plan"},
    "发改基础〔2021〕1788号": {"id": "2021-multilevel-rail-transit-plan-notice"},
    "发改基础〔2021〕829号": {"id": "2021-comprehensive-transport-plan-notice"},
    "国科发规〔2023〕31号": {"id": "2023-western-science-city-opinion"},
    "巴蜀文化旅游走廊建设规划": {"id": "2022-bashu-culture-tourism-corridor-plan"},
    "推动成渝地区双城经济圈建设联合办公室关于做好共建成渝地区双城经济圈2022年重大项目实施有关工作的通知": {"id": "2022-major-projects-notice"},
    "重庆四川两省市贯彻落实成渝地区双城经济圈建设规划纲要联合实施方案": {"id": "gangyao-joint-implementation-plan"},
    "川府发〔2023〕9号": {"id": "2023-chuannan-yuxi-integration-plan"},
    "川府函〔2022〕36号": {"id": "2022-zida-zone-reply"},
    "川府函〔2020〕259号": {"id": "2020-suitong-pilot-zone-reply"},
    "渝府发〔2023〕8号": {"id": "2023-chongqing-action-plan-2023-2027"},
    "渝府发〔2020〕30号": {"id": "2020-transport-infrastructure-action-plan"},
    "渝府〔2022〕2号": {"id": "2022-heguangchang-zone-reply"},
    "渝府〔2020〕55号": {"id": "2020-gaozhu-new-area-reply"},
    "渝府〔2022〕1号": {"id": "2022-chengxuanwan-zone-reply"},
    "渝府发〔2023〕9号": {"id": "2023-wandakai-plan"},
    "渝府〔2021〕66号": {"id": "2021-neijiang-rongchang-agri-zone-reply"},
    "渝府发〔2022〕37号": {"id": "2022-chongqing-metropolitan-plan"},
    "渝府〔2021〕57号": {"id": "2021-mingyueshan-belt-reply"},
    "川办发〔2021〕67号": {"id": "2021-modern-agriculture-belt-plan"},
    "川办发〔2022〕52号": {"id": "2022-zero-waste-cities-opinion"},
    "川办发〔2022〕62号": {"id": "2022-market-entities-measures"},
    "川办发〔2022〕7号": {"id": "2022-business-environment-plan"},
    "川办发〔2021〕2号": {"id": "2021-convenient-living-action-plan"},
    "渝府办发〔2020〕97号": {"id": "2020-adjacent-areas-platforms-plan"},
    "渝府办发〔2021〕1号": {"id": "2021-fangguanfu-guiding-opinion"},
    "渝府办发〔2023〕15号": {"id": "2023-market-integration-action-plan"},
    "渝府办发〔2022〕22号": {"id": "2022-carbon-peak-neutrality-action-plan"},
    "渝府办发〔2022〕20号": {"id": "2022-fangguanfu-task-lists"},
    "渝府办发〔2022〕24号": {"id": "2022-port-logistics-plan"},
    "渝经信发〔2023〕6号": {"id": "2023-aluminium-industry-chain-plan"},
    "渝府办发〔2022〕126号": {"id": "2022-western-finance-center-rules"},
    "渝府办发〔2022〕82号": {"id": "2022-upper-yangtze-shipping-center-plan"},
    "渝府办发〔2022〕87号": {"id": "2022-international-consumption-destination-plan"},
    "渝府办发〔2022〕91号": {"id": "2022-energy-green-low-carbon-action-plan"},
    "渝府办发〔2022〕86号": {"id": "2022-inland-opening-highland-plan"},
    "渝教发〔2021〕8号": {"id": "2021-education-action-plan"},
    "川发改双城项目〔2022〕79号": {"id": "2022-zida-zone-plan"},
    "合广长协同发展示范区总体方案": {"id": "2022-heguangchang-zone-plan"},
    "城宣万革命老区振兴发展示范区总体方案": {"id": "2022-chengxuanwan-zone-plan"},
    "明月山绿色发展示范带总体方案": {"id": "2021-mingyueshan-belt-plan"},
    "川经信数信〔2022〕68号": {"id": "2022-industrial-internet-work-points"},
    "深化成渝地区双城经济圈市场化改革研究": {"id": "2023-market-reform-research", "date": "2023"},
}


def _key(title: str) -> str:
    return re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", squash(title))


def catalog_entry(doc_no: str, title: str) -> dict[str, Any]:
    """The curated entry of a document, by 文号 then title ({} when unknown)."""
    if doc_no and doc_no in CATALOG:
        return CATALOG[doc_no]
    return CATALOG.get(_key(title), {})


def fallback_id(date: str, title: str, file_name: str) -> str:
    """A readable ASCII id for a document not in the catalog: year + pinyin of the title."""
    year = date[:4] if date else "nd"
    words = []
    try:
        from pypinyin import lazy_pinyin

        core = re.sub(r"^.*?关于(印发)?", "", squash(title)) or squash(title)
        core = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", core)
        words = [w.lower() for w in lazy_pinyin(core[:8]) if w.isascii() and w.isalnum()]
    except ImportError:  # pragma: no cover - pypinyin is a runtime requirement
        pass
    slug = "-".join(words) or re.sub(r"[^a-z0-9]+", "-", file_name.lower()).strip("-")
    return f"{year}-{slug}"
