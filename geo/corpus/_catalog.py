"""Curated facts about the embedded seed corpus that its text cannot give.

Stable, readable document ids for the 44 distinct documents of data/docs/, keyed by 文号 (or
by title when there is none), and the few dates the text does not state (the 纲要's news lead
says only "10月20日"; the research article is dated by its content), and each document's English
title (`title_en`, for the viewer in English: translated, with the official English of terms such as
成渝地区双城经济圈 Chengdu–Chongqing Economic Circle and the place names of layers/). Everything else about a
document is detected from the text (geo._corpus_documents). Sources: the document texts themselves and
/work/shared/corpus-notes/documents.tsv, checked against the text.
"""

from __future__ import annotations

import re
from typing import Any

from geo.corpus._normalize import squash

# key: 文号, or the title with spaces removed → id (+ optional date/issuers when not in the text)
CATALOG: dict[str, dict[str, Any]] = {
    "成渝地区双城经济圈建设规划纲要": {"id": "2020-chengyu-gangyao", "title_en": "Outline of the Development Plan for the Chengdu–Chongqing Economic Circle", "date": "2020-10-20"},
    "成渝共建西部金融中心规划": {"id": "2021-western-finance-center-plan", "title_en": "Plan for Chengdu and Chongqing to Jointly Build the Western Financial Centre"},
    "发改基础〔2021〕1788号": {"id": "2021-multilevel-rail-transit-plan-notice", "title_en": "Notice of the National Development and Reform Commission on Issuing the Multi-Level Rail Transit Plan for the Chengdu–Chongqing Economic Circle"},
    "发改基础〔2021〕829号": {"id": "2021-comprehensive-transport-plan-notice", "title_en": "Notice of the National Development and Reform Commission and the Ministry of Transport on Issuing the Comprehensive Transport Development Plan for the Chengdu–Chongqing Economic Circle"},
    "国科发规〔2023〕31号": {"id": "2023-western-science-city-opinion", "title_en": "Opinions on Further Supporting the Accelerated Development of the Western Science City"},
    "巴蜀文化旅游走廊建设规划": {"id": "2022-bashu-culture-tourism-corridor-plan", "title_en": "Development Plan for the Bashu Culture and Tourism Corridor"},
    "推动成渝地区双城经济圈建设联合办公室关于做好共建成渝地区双城经济圈2022年重大项目实施有关工作的通知": {"id": "2022-major-projects-notice", "title_en": "Notice of the Joint Office for Promoting the Development of the Chengdu–Chongqing Economic Circle on Implementing the 2022 Major Projects for Jointly Building the Chengdu–Chongqing Economic Circle"},
    "重庆四川两省市贯彻落实成渝地区双城经济圈建设规划纲要联合实施方案": {"id": "gangyao-joint-implementation-plan", "title_en": "Joint Implementation Plan of Chongqing Municipality and Sichuan Province for the Outline of the Development Plan for the Chengdu–Chongqing Economic Circle"},
    "川府发〔2023〕9号": {"id": "2023-chuannan-yuxi-integration-plan", "title_en": "Master Plan for Promoting the Integrated Development of Southern Sichuan and Western Chongqing"},
    "川府函〔2022〕36号": {"id": "2022-zida-zone-reply", "title_en": "Reply of the Sichuan Provincial People's Government and the Chongqing Municipal People's Government Approving the Master Plan for the Ziyang–Dazu Demonstration Zone for the Integrated Development of Culture and Tourism"},
    "川府函〔2020〕259号": {"id": "2020-suitong-pilot-zone-reply", "title_en": "Reply of the Sichuan Provincial People's Government and the Chongqing Municipal People's Government Approving the Establishment of the Suining–Tongnan Pilot Zone for the Integrated Development of Sichuan–Chongqing Adjacent Areas"},
    "渝府发〔2023〕8号": {"id": "2023-chongqing-action-plan-2023-2027", "title_en": "Chongqing Action Plan for Promoting the Development of the Chengdu–Chongqing Economic Circle (2023–2027)"},
    "渝府发〔2020〕30号": {"id": "2020-transport-infrastructure-action-plan", "title_en": "Action Plan for Strengthening Transport Infrastructure to Promote the Development of the Chengdu–Chongqing Economic Circle (2020–2022)"},
    "渝府〔2022〕2号": {"id": "2022-heguangchang-zone-reply", "title_en": "Reply of the Chongqing Municipal People's Government and the Sichuan Provincial People's Government Approving the Master Plan for the Hechuan–Guang'an–Changshou Coordinated Development Demonstration Zone"},
    "渝府〔2020〕55号": {"id": "2020-gaozhu-new-area-reply", "title_en": "Reply of the Chongqing Municipal People's Government and the Sichuan Provincial People's Government Approving the Establishment of the Sichuan–Chongqing Gaozhu New Area"},
    "渝府〔2022〕1号": {"id": "2022-chengxuanwan-zone-reply", "title_en": "Reply of the Chongqing Municipal People's Government and the Sichuan Provincial People's Government Approving the Master Plan for the Chengkou–Xuanhan–Wanyuan Demonstration Zone for the Revitalisation and Development of Old Revolutionary Base Areas"},
    "渝府发〔2023〕9号": {"id": "2023-wandakai-plan", "title_en": "Master Plan for Promoting the Coordinated Development of the Wanzhou–Dazhou–Kaizhou Area of Sichuan–Chongqing"},
    "渝府〔2021〕66号": {"id": "2021-neijiang-rongchang-agri-zone-reply", "title_en": "Reply of the Chongqing Municipal People's Government and the Sichuan Provincial People's Government Approving the Master Plan for the Neijiang–Rongchang Modern Agriculture High-Tech Industry Demonstration Zone"},
    "渝府发〔2022〕37号": {"id": "2022-chongqing-metropolitan-plan", "title_en": "Development Plan for the Chongqing Metropolitan Area"},
    "渝府〔2021〕57号": {"id": "2021-mingyueshan-belt-reply", "title_en": "Reply of the Chongqing Municipal People's Government and the Sichuan Provincial People's Government Approving the Master Plan for the Mingyueshan Green Development Demonstration Belt"},
    "川办发〔2021〕67号": {"id": "2021-modern-agriculture-belt-plan", "title_en": "Development Plan for the Chengdu–Chongqing Modern, High-Efficiency and Specialty Agriculture Belt"},
    "川办发〔2022〕52号": {"id": "2022-zero-waste-cities-opinion", "title_en": "Guiding Opinions of the General Office of the Sichuan Provincial People's Government and the General Office of the Chongqing Municipal People's Government on Advancing the Joint Development of Zero-Waste Cities in the Chengdu–Chongqing Economic Circle"},
    "川办发〔2022〕62号": {"id": "2022-market-entities-measures", "title_en": "Policy Measures to Support the Sound Development of Market Entities in the Chengdu–Chongqing Economic Circle"},
    "川办发〔2022〕7号": {"id": "2022-business-environment-plan", "title_en": "Plan for Improving the Business Environment in the Chengdu–Chongqing Economic Circle"},
    "川办发〔2021〕2号": {"id": "2021-convenient-living-action-plan", "title_en": "Action Plan for Convenient Living in the Chengdu–Chongqing Economic Circle"},
    "渝府办发〔2020〕97号": {"id": "2020-adjacent-areas-platforms-plan", "title_en": "Plan for Advancing the Joint Building of Regional Development Function Platforms through Cooperation in Sichuan–Chongqing Adjacent Areas"},
    "渝府办发〔2021〕1号": {"id": "2021-fangguanfu-guiding-opinion", "title_en": "Guiding Opinions of the General Office of the Chongqing Municipal People's Government and the General Office of the Sichuan Provincial People's Government on Jointly Advancing the Reform to Delegate Power, Improve Regulation and Upgrade Services in the Chengdu–Chongqing Economic Circle"},
    "渝府办发〔2023〕15号": {"id": "2023-market-integration-action-plan", "title_en": "Action Plan for Promoting Market Integration in the Chengdu–Chongqing Economic Circle"},
    "渝府办发〔2022〕22号": {"id": "2022-carbon-peak-neutrality-action-plan", "title_en": "Joint Action Plan for Carbon Peaking and Carbon Neutrality in the Chengdu–Chongqing Economic Circle"},
    "渝府办发〔2022〕20号": {"id": "2022-fangguanfu-task-lists", "title_en": "List of 2022 Key Tasks of the Reform to Delegate Power, Improve Regulation and Upgrade Services in the Chengdu–Chongqing Economic Circle and Two Other Lists"},
    "渝府办发〔2022〕24号": {"id": "2022-port-logistics-plan", "title_en": "Implementation Plan for Jointly Building the Port and Logistics System of the Chengdu–Chongqing Economic Circle"},
    "渝经信发〔2023〕6号": {"id": "2023-aluminium-industry-chain-plan", "title_en": "Work Plan for the Coordinated Development of the Sichuan–Chongqing Aluminium Industry Chain"},
    "渝府办发〔2022〕126号": {"id": "2022-western-finance-center-rules", "title_en": "Joint Detailed Rules for Implementing the Plan for Chengdu and Chongqing to Jointly Build the Western Financial Centre"},
    "渝府办发〔2022〕82号": {"id": "2022-upper-yangtze-shipping-center-plan", "title_en": "Implementation Plan for Jointly Building the Upper Yangtze Shipping Centre"},
    "渝府办发〔2022〕87号": {"id": "2022-international-consumption-destination-plan", "title_en": "Implementation Plan for Building an International Consumption Destination with Distinctive Bashu Features"},
    "渝府办发〔2022〕91号": {"id": "2022-energy-green-low-carbon-action-plan", "title_en": "Sichuan–Chongqing Coordinated Action Plan for Promoting Green, Low-Carbon and High-Quality Energy Development"},
    "渝府办发〔2022〕86号": {"id": "2022-inland-opening-highland-plan", "title_en": "Plan for the Chengdu–Chongqing Region to Jointly Build an Inland Highland of Opening Up"},
    "渝教发〔2021〕8号": {"id": "2021-education-action-plan", "title_en": "Action Plan for the Coordinated Development of Education in the Chengdu–Chongqing Economic Circle"},
    "川发改双城项目〔2022〕79号": {"id": "2022-zida-zone-plan", "title_en": "Master Plan for the Ziyang–Dazu Demonstration Zone for the Integrated Development of Culture and Tourism"},
    "合广长协同发展示范区总体方案": {"id": "2022-heguangchang-zone-plan", "title_en": "Master Plan for the Hechuan–Guang'an–Changshou Coordinated Development Demonstration Zone"},
    "城宣万革命老区振兴发展示范区总体方案": {"id": "2022-chengxuanwan-zone-plan", "title_en": "Master Plan for the Chengkou–Xuanhan–Wanyuan Demonstration Zone for the Revitalisation and Development of Old Revolutionary Base Areas"},
    "明月山绿色发展示范带总体方案": {"id": "2021-mingyueshan-belt-plan", "title_en": "Master Plan for the Mingyueshan Green Development Demonstration Belt"},
    "川经信数信〔2022〕68号": {"id": "2022-industrial-internet-work-points", "title_en": "Key Points of Work in 2022 for Building the Chengdu–Chongqing Demonstration Zone for the Integrated Development of the Industrial Internet"},
    "深化成渝地区双城经济圈市场化改革研究": {"id": "2023-market-reform-research", "title_en": "Study on Deepening Market-Oriented Reform in the Chengdu–Chongqing Economic Circle", "date": "2023"},
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
