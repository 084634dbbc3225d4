"""Write N invented annual reports in the national template's shapes, for benchmarks and corpus tests.

    python bench/generate.py 20000 /tmp/gen --seed 7

Agencies are invented (places composed from a syllable list, departments from a fixed list); each agency
gets consecutive report years; numbers are template-consistent (table 3 columns and rows add up, table 4
totals hold, carried-over chains and 规范性文件 stock chains continue between years), and a share of the
reports (`--defect-rate`) carries one deliberate inconsistency:

    T301 a table-3 row total off · T302 a result row not in 三(七)总计 · T303 结转下年度 off ·
    T401 a table-4 total off · P201 prose 规范性文件 ≠ table 2 · P301 prose received ≠ table 3 ·
    X301 上年结转 ≠ last year's 结转下年度 · X201 现行有效 off the stock chain · X101 prose copied from last year

Tables come flattened in several forms (padded `|` rows, Markdown rows, one cell per line ending in ` |`,
one cell per line separated by blank lines; `--forms run_together` adds cells with no separator at all)
or as an HTML page with a real <table>; files are UTF-8 or
GB18030. `truth.jsonl` in the output directory lists each file with its agency, year, form, encoding and
the injected defect codes.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

SYLLABLES = list("青禾云溪松岚桐澄泓樾苍岩枫棠栖霞澜汀芷蘅檀杉渝皋鹭湄沅漪琮璟岑峤麓")
PROVINCE_SUFFIX = "省"
DEPARTMENTS = ["人民政府办公室", "教育局", "财政局", "民政局", "自然资源局", "生态环境局", "住房和城乡建设局",
               "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "司法局", "人力资源和社会保障局",
               "应急管理局", "统计局", "审计局", "文化和旅游局", "水利局", "医疗保障局", "退役军人事务局"]
FORMS = ("pipes", "markdown", "cell_lines", "blank_lines", "html")
EXTRA_FORMS = ("run_together",)   # cells with no separator at all (SPEC §1 form 6); opt-in with --forms
DEFECTS = ("T301", "T302", "T303", "T401", "P201", "P301", "X301", "X201", "X101")
YEARS = (2021, 2022, 2023, 2024)

T3_COLS = 7  # six applicant columns + 总计
T3_RESULT_LABELS = [
    ("三、本年度办理结果", "(一)予以公开"),
    ("(二)部分公开(区分处理的，只计这一情形，不计其他情形)",),
    ("(三)不予公开", "1.属于国家秘密"), ("2.其他法律行政法规禁止公开",), ("3.危及“三安全一稳定”",),
    ("4.保护第三方合法权益",), ("5.属于三类内部事务信息",), ("6.属于四类过程性信息",), ("7.属于行政执法案卷",),
    ("8.属于行政查询事项",),
    ("(四)无法提供", "1.本机关不掌握相关政府信息"), ("2.没有现成信息需要另行制作",), ("3.补正后申请内容仍不明确",),
    ("(五)不予处理", "1.信访举报投诉类申请"), ("2.重复申请",), ("3.要求提供公开出版物",), ("4.无正当理由大量反复申请",),
    ("5.要求行政机关确认或重新出具已获取信息",),
    ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",), ("3.其他",),
]
# how likely each result row is to receive an application (予以公开 and 不掌握 are the common outcomes)
RESULT_WEIGHTS = [40, 12, 1, 1, 1, 2, 1, 2, 1, 1, 25, 3, 2, 2, 3, 1, 1, 1, 1, 1, 3]

# Prose pools: each slot draws a few sentences, so two independently written years differ in wording.
POOL_GENERAL = [
    "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "全年围绕中心工作，持续深化政务公开，不断提升政府信息公开的质量和实效。",
    "{agency}将政务公开工作列入年度重点工作，主要负责同志多次听取工作汇报。",
    "本单位健全信息发布审核机制，坚持先审查后公开、一事一审。",
    "聚焦群众关切，着力推进决策、执行、管理、服务、结果公开。",
    "进一步完善政务公开工作机制，明确分管领导和具体工作人员。",
    "及时调整政务公开工作领导小组，形成主要领导亲自抓、分管领导具体抓的工作格局。",
    "全年组织政务公开业务培训，工作人员业务能力得到提升。",
    "以公开促落实、以公开促规范、以公开促服务，推动政务公开工作提质增效。",
    "对照年度政务公开工作要点，逐项细化任务分工，压实工作责任。",
]
POOL_MANAGEMENT = [
    "严格落实保密审查制度，对拟公开信息逐条审核，全年未发生泄密事件。",
    "开展政策文件清理工作，及时更新政策文件库。",
    "规范政府信息公开目录管理，对公开内容实行动态调整。",
    "建立健全信息发布协调机制，确保发布信息准确一致。",
    "加强对历史公开信息的梳理，对过期失效信息及时作出标注。",
    "严格执行公文公开属性源头认定制度，在公文办理环节明确公开方式。",
    "推进政府信息管理规范化，建立信息公开工作台账。",
]
POOL_PLATFORM = [
    "持续优化政府网站政府信息公开专栏，完善栏目设置。",
    "加强政务新媒体管理，定期开展内容巡查。",
    "依托政务服务大厅设置政府信息查阅点，方便群众查询。",
    "推进政府网站与政务新媒体协同联动，扩大信息传播范围。",
    "完善网站无障碍和适老化改造，提升平台服务能力。",
    "及时更新网站栏目内容，杜绝空白栏目和僵尸栏目。",
]
POOL_SUPERVISION = [
    "将政务公开纳入年度绩效考核，强化考核结果运用。",
    "主动接受社会监督，畅通意见建议反馈渠道。",
    "定期开展政务公开自查，发现问题及时整改。",
    "本年度未发生因政府信息公开工作引发的责任追究情况。",
    "邀请群众代表参与政务公开评议，听取意见建议。",
]
POOL_PROBLEMS = [
    "政策解读的形式还不够丰富，图解、视频等解读方式运用较少。",
    "部分信息公开不够及时，更新频率有待提高。",
    "工作人员业务水平参差不齐，对条例的理解还不够深入。",
    "主动公开的深度和广度还有待拓展。",
    "依申请公开答复的规范性还需加强。",
    "政务新媒体互动回应能力有待提升。",
]
POOL_IMPROVEMENTS = [
    "下一步，将加强业务培训，提升工作人员的业务能力。",
    "持续丰富政策解读形式，提高解读质量。",
    "进一步规范依申请公开办理流程，提高答复质量。",
    "加强政府网站和政务新媒体日常监管，确保信息及时更新。",
    "围绕群众关心关注的热点问题，加大信息公开力度。",
    "健全政务公开工作考核机制，推动各项任务落实落细。",
]


@dataclass
class Agency:
    name: str                 # as the title writes it
    alt_name: str | None      # another spelling of the same agency (区政府办公室 for 区人民政府办公室)
    province: str
    account: str              # WeChat account name
    years: list[int]
    # carried state between years
    normative_in_force: int = 0
    regulations_in_force: int = 0
    carry: list[int] = field(default_factory=lambda: [0] * 7)
    prose_seeds: dict[int, int] = field(default_factory=dict)


def _place(rng: random.Random, used: set[str], n: int = 2) -> str:
    """An unused invented place name; three syllables once two-syllable names run short."""
    for attempt in range(10_000):
        s = "".join(rng.sample(SYLLABLES, n + (attempt >= 20)))
        if s not in used:
            used.add(s)
            return s
    raise RuntimeError("no unused place name left")


def make_agencies(rng: random.Random, n_reports: int) -> list[Agency]:
    used: set[str] = set()
    provinces = [_place(rng, used) + PROVINCE_SUFFIX for _ in range(max(2, n_reports // 4000 + 2))]
    agencies: list[Agency] = []
    names: set[str] = set()
    total = 0
    while total < n_reports:
        province = rng.choice(provinces)
        city = _place(rng, used) + "市"
        for _ in range(rng.randint(1, 3)):
            district = _place(rng, used) + rng.choice("区县")
            for dept in rng.sample(DEPARTMENTS, rng.randint(2, 6)):
                name = f"{city}{district}{dept}"
                if name in names:
                    continue
                names.add(name)
                alt = name.replace("人民政府", "政府") if "人民政府" in name else None
                start = rng.choice(YEARS[:-1] if rng.random() < 0.8 else YEARS)
                length = rng.randint(1, len(YEARS) - YEARS.index(start))
                years = list(range(start, start + length))
                agencies.append(Agency(name=name, alt_name=alt, province=province,
                                       account=district[:-1] + rng.choice(["发布", "政务", "之窗", "在线"]),
                                       years=years, normative_in_force=rng.randint(0, 120),
                                       regulations_in_force=rng.choice([0, 0, 0, rng.randint(1, 30)]),
                                       carry=[0] * 7))
                total += len(years)
                if total >= n_reports:
                    return agencies
    return agencies


# --- numbers ------------------------------------------------------------------------------------

def _split(rng: random.Random, total: int, weights: list[int]) -> list[int]:
    out = [0] * len(weights)
    for _ in range(total):
        out[rng.choices(range(len(weights)), weights)[0]] += 1
    return out


def t3_numbers(rng: random.Random, carried_over: list[int]) -> dict[str, list[int]]:
    """Rows of table 3 (7 columns each, total last) that satisfy every template relation."""
    scale = rng.choice([0, 2, 5, 12, 30, 80, 200])
    natural = rng.randint(0, scale)
    orgs = [rng.randint(0, max(0, scale // 10)) if rng.random() < 0.3 else 0 for _ in range(5)]
    new = [natural] + orgs
    new.append(sum(new))
    co = carried_over[:]
    results = [[0] * 7 for _ in T3_RESULT_LABELS]
    cf = [0] * 7
    for c in range(6):
        avail = new[c] + co[c]
        cf[c] = rng.randint(0, min(avail, 3)) if avail and rng.random() < 0.3 else 0
        for r, v in enumerate(_split(rng, avail - cf[c], RESULT_WEIGHTS)):
            results[r][c] = v
    for row in results:
        row[6] = sum(row[:6])
    cf[6] = sum(cf[:6])
    total = [sum(results[r][c] for r in range(len(results))) for c in range(7)]
    return {"new": new, "co": co, "results": results, "total": total, "cf": cf}


def t4_numbers(rng: random.Random) -> list[int]:
    out = []
    for _ in range(3):
        g = [rng.choice([0, 0, 0, 1, 2]) for _ in range(4)]
        out += g + [sum(g)]
    return out


# --- the report ---------------------------------------------------------------------------------

def _pick(rng: random.Random, pool: list[str], k: int, **fmt) -> str:
    return "".join(s.format(**fmt) for s in rng.sample(pool, min(k, len(pool))))


def _fmt_int(rng: random.Random, n: int) -> str:
    return f"{n:,}" if n >= 1000 and rng.random() < 0.3 else str(n)


def make_report(rng: random.Random, ag: Agency, year: int, defect: str | None) -> dict:
    if defect == "X101":  # this year's text is last year's as shown (itself perhaps a copy)
        ag.prose_seeds[year] = ag.prose_seeds[year - 1]
    prose_rng = random.Random(ag.prose_seeds[year])
    name = ag.alt_name if ag.alt_name and rng.random() < 0.5 else ag.name

    # table 2 and the stock chain
    nd_issued = rng.randint(0, 25)
    nd_repealed = rng.randint(0, min(ag.normative_in_force, 10))
    ag.normative_in_force += nd_issued - nd_repealed
    if defect == "X201":
        ag.normative_in_force += rng.randint(3, 9)
    reg_issued = rng.randint(0, 2) if ag.regulations_in_force else 0
    reg_repealed = rng.randint(0, min(ag.regulations_in_force, 1))
    ag.regulations_in_force += reg_issued - reg_repealed
    t2 = {"regulations": [reg_issued, reg_repealed, ag.regulations_in_force],
          "normative_documents": [nd_issued, nd_repealed, ag.normative_in_force],
          "licensing": rng.choice([0, rng.randint(1, 3000)]), "penalty": rng.choice([0, rng.randint(1, 500)]),
          "coercion": rng.choice([0, 0, rng.randint(1, 50)]), "fees": 0}

    # table 3 and the carried-over chain
    co = ag.carry[:]
    if defect == "X301":
        d = rng.randint(2, 5)
        co[0] += d
        co[6] += d
    t3 = t3_numbers(rng, co)
    t4 = t4_numbers(rng)

    # prose figures come from the consistent tables, before table defects are applied
    received = t3["new"][6]
    completed = t3["total"][6]
    prose_nd = nd_issued
    prose_received = received
    if defect == "P201":
        prose_nd = nd_issued + rng.randint(2, 6)
    if defect == "P301":
        prose_received = received + t3["co"][6] + rng.randint(3, 9)

    if defect == "T301":
        # move d from one result row's 总计 to another's: both rows stop adding up, every column still does
        d = rng.randint(1, 4)
        donors = [i for i, row in enumerate(t3["results"]) if row[6] >= d] or [0]
        src = rng.choice(donors)
        dst = rng.choice([i for i in range(len(t3["results"])) if i != src])
        if t3["results"][src][6] < d:  # no application at all: nothing to move, break table 4 instead
            defect = "T401"
        else:
            t3["results"][src][6] -= d
            t3["results"][dst][6] += d
    if defect == "T302":
        t3["results"][0][0] += 1
        t3["results"][0][6] += 1
    elif defect == "T303":
        t3["cf"][0] += 2
        t3["cf"][6] += 2
    elif defect == "T401":
        t4[4] += rng.randint(1, 3)
    ag.carry = t3["cf"][:]  # next year's 上年结转 is what this report shows

    posts = rng.randint(50, 3000)
    wechat = rng.randint(20, 800)
    interpretations = rng.randint(1, 60)
    fmt = {"agency": name, "year": year}
    p = prose_rng
    general = _pick(p, POOL_GENERAL, 3, **fmt)
    proactive = (f"{year}年，{name}主动公开政府信息{_fmt_int(rng, posts)}条，其中制发行政规范性文件{prose_nd}件，"
                 f"发布政策解读{interpretations}篇；通过“{ag.account}”微信公众号发布信息{wechat}条。")
    if prose_received:
        request = (f"{year}年共收到政府信息公开申请{prose_received}件，上年结转{t3['co'][6]}件，"
                   f"办结{completed}件，结转下年度继续办理{t3['cf'][6]}件。")
    else:
        request = f"{year}年未收到政府信息公开申请。"
    if t4[4] or t4[9] or t4[14]:
        request += f"因政府信息公开工作被申请行政复议{t4[4]}件，被提起行政诉讼{t4[9] + t4[14]}件。"
    management = _pick(p, POOL_MANAGEMENT, 3)
    platform = _pick(p, POOL_PLATFORM, 2)
    supervision = _pick(p, POOL_SUPERVISION, 2)
    problems = _pick(p, POOL_PROBLEMS, 2)
    improvements = _pick(p, POOL_IMPROVEMENTS, 3)
    fee = "本年度未收取信息处理费。" if rng.random() < 0.85 else f"本年度收取信息处理费{rng.randint(1, 9) * 100}元。"

    published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    return {"defect": defect, "name": name, "year": year, "published": published, "t2": t2, "t3": t3, "t4": t4,
            "prose": {"general": general, "proactive": proactive, "request": request, "management": management,
                      "platform": platform, "supervision": supervision, "problems": problems,
                      "improvements": improvements, "fee": fee}}


# --- rendering ----------------------------------------------------------------------------------

def table_rows(r: dict) -> dict[str, list[list[str]]]:
    t2, t3, t4 = r["t2"], r["t3"], r["t4"]
    s = lambda xs: [str(x) for x in xs]  # noqa: E731
    rows2 = [["第二十条第(一)项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
             ["规章"] + s(t2["regulations"]), ["行政规范性文件"] + s(t2["normative_documents"]),
             ["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["行政许可", str(t2["licensing"])],
             ["第二十条第(六)项"], ["信息内容", "本年处理决定数量"], ["行政处罚", str(t2["penalty"])],
             ["行政强制", str(t2["coercion"])], ["第二十条第(八)项"], ["信息内容", "本年收费金额(单位：万元)"],
             ["行政事业性收费", str(t2["fees"])]]
    rows3 = [["(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)", "申请人情况"],
             ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
             ["一、本年新收政府信息公开申请数量"] + s(t3["new"]), ["二、上年结转政府信息公开申请数量"] + s(t3["co"])]
    rows3 += [list(labels) + s(v) for labels, v in zip(T3_RESULT_LABELS, t3["results"])]
    rows3 += [["(七)总计"] + s(t3["total"]), ["四、结转下年度继续办理"] + s(t3["cf"])]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows4 = [["行政复议", "行政诉讼"], heads + ["未经复议直接起诉", "复议后起诉"], heads + heads + heads, s(t4)]
    return {"二": rows2, "三": rows3, "四": rows4}


def render_table(rows: list[list[str]], form: str) -> str:
    width = max(len(r) for r in rows)
    if form == "pipes":
        return "\n".join(" | ".join(r + [""] * (width - len(r))) + " |" for r in rows)
    if form == "markdown":
        lines = ["| " + " | ".join(r) + " |" for r in rows]
        lines.insert(1, "|" + "---|" * len(rows[0]))
        return "\n".join(lines)
    if form == "cell_lines":
        return "\n".join(f"{c} |" for r in rows for c in r)
    if form == "blank_lines":
        return "\n\n".join(c for r in rows for c in r)
    if form == "run_together":  # numbers of a row merge: 行政规范性文件77132470
        return "".join("".join(r) for r in rows)
    raise ValueError(form)


def _html_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    out = ["<table border=\"1\">"]
    for r in rows:
        cells = "".join(f"<td>{c}</td>" for c in r[:-1])
        span = width - len(r) + 1
        last = f"<td colspan=\"{span}\">{r[-1]}</td>" if span > 1 else f"<td>{r[-1]}</td>"
        out.append(f"<tr>{cells}{last}</tr>")
    out.append("</table>")
    return "\n".join(out)


def render(r: dict, form: str, chrome: bool) -> str:
    pr = r["prose"]
    title = f"{r['name']}{r['year']}年政府信息公开工作年度报告"
    sections = [
        ("一、总体情况", [pr["general"], "(一)主动公开", pr["proactive"], "(二)依申请公开", pr["request"],
                      "(三)政府信息管理", pr["management"], "(四)平台建设", pr["platform"],
                      "(五)监督保障", pr["supervision"]]),
        ("二、主动公开政府信息情况", None), ("三、收到和处理政府信息公开申请情况", None),
        ("四、政府信息公开行政复议、行政诉讼情况", None),
        ("五、存在的主要问题及改进情况", [pr["problems"], pr["improvements"]]),
        ("六、其他需要报告的事项", [pr["fee"]]),
    ]
    intro = (f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限为{r['year']}年1月1日至"
             f"{r['year']}年12月31日。")
    tables = table_rows(r)
    if form == "html":
        body = [f"<h1>{title}</h1>", f"<p>发布时间：{r['published']}</p>" if chrome else "", f"<p>{intro}</p>"]
        for head, paras in sections:
            body.append(f"<p><strong>{head}</strong></p>")
            if paras is None:
                body.append(_html_table(tables[head[0]]))
            else:
                body += [f"<p>{x}</p>" for x in paras]
        body.append(f"<p>{r['published']}</p>")
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>" + title + "</title></head>\n"
                "<body><div class=\"article\">\n" + "\n".join(b for b in body if b) + "\n</div></body></html>\n")
    lines = []
    if chrome:
        lines += ["首页 > 政府信息公开 > 政府信息公开年报", f"发布时间：{r['published']}", "字号：大 中 小", "分享到："]
    lines += [title, intro]
    for head, paras in sections:
        lines.append(head)
        lines += [render_table(tables[head[0]], form)] if paras is None else paras
    lines.append(r["published"])
    if chrome:
        lines += ["打印本页", "关闭窗口"]
    return "\n".join(lines) + "\n"


def generate(n: int, outdir: str | Path, *, seed: int = 0, defect_rate: float = 0.3,
             gb18030_rate: float = 0.3, forms: tuple[str, ...] = FORMS) -> list[dict]:
    """Write `n` reports under `outdir` (plus truth.jsonl); returns the truth records."""
    rng = random.Random(seed)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    truth = []
    agencies = make_agencies(rng, n)
    i = 0
    for ai, ag in enumerate(agencies):
        for y in ag.years:
            ag.prose_seeds[y] = rng.randrange(1 << 30)
        for k, year in enumerate(ag.years):
            if i >= n:
                break
            defect = None
            if rng.random() < defect_rate:
                choices = [d for d in DEFECTS if k > 0 or not d.startswith("X")]
                defect = rng.choice(choices)
            r = make_report(rng, ag, year, defect)
            form = rng.choice(forms)
            encoding = "gb18030" if rng.random() < gb18030_rate else "utf-8"
            text = render(r, form, chrome=rng.random() < 0.5)
            if form == "html":
                text = text.replace("{charset}", encoding)
            ext = {"html": "html", "markdown": "md"}.get(form, "txt")
            rel = Path(ag.province) / f"a{ai:05d}" / f"r{i:06d}.{ext}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(text.encode(encoding))
            truth.append({"file": str(rel), "agency": ag.name, "name_used": r["name"], "year": year,
                          "form": form, "encoding": encoding, "defects": [r["defect"]] if r["defect"] else []})
            i += 1
    with open(out / "truth.jsonl", "w", encoding="utf-8") as f:
        for t in truth:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    return truth


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of reports")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--defect-rate", type=float, default=0.3, help="share of reports with one inconsistency")
    ap.add_argument("--gb18030-rate", type=float, default=0.3)
    ap.add_argument("--forms", default=",".join(FORMS),
                    help=f"comma-separated table forms, from {', '.join(FORMS + EXTRA_FORMS)}")
    args = ap.parse_args(argv)
    forms = tuple(f.strip() for f in args.forms.split(",") if f.strip())
    unknown = set(forms) - set(FORMS + EXTRA_FORMS)
    if unknown or not forms:
        ap.error(f"unknown table form(s): {', '.join(sorted(unknown)) or '(none given)'}")
    try:
        truth = generate(args.n, args.outdir, seed=args.seed, defect_rate=args.defect_rate,
                         gb18030_rate=args.gb18030_rate, forms=forms)
    except OSError as e:
        print(f"generate.py: {args.outdir}: {e.strerror or e}", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for t in truth:
        for d in t["defects"]:
            counts[d] = counts.get(d, 0) + 1
    print(f"wrote {len(truth)} reports to {args.outdir}; defects: {json.dumps(counts, sort_keys=True)}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
