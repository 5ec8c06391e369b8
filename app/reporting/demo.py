"""Demo data: the 2019/20 delivery plan and the Q1 and Q2 2019/20 reports, from the council papers.

Files (in ../shared/seeds/): ``004`` = 004_eefa4e81a284a492.txt (CLL Committee Delivery Plan, Year 1
2019/20); ``000`` = 000_0692e8566ba44968.txt (Q1 report from line 674, Q2 report from line 1026). Every
record quotes its source as file:line. Figures are as printed, including where the printed RAG, direction of
travel or budget column disagrees with the reports' own rules: those printed values go into the
``published_*`` fields, so the report shows them beside the ratings the rules give.

The reports give each risk's score but not its likelihood and impact, so those are left empty. They give a
summary rating of each priority's actions but no rating per action, so action ratings are left empty
("Not rated") and the published summary is kept beside it.

``load_demo()`` skips everything when the 2019/20 plan is already there, so ``flask seed demo`` can run
twice.
"""

from datetime import date, datetime

from ..extensions import db
from .models import (
    APPROVED,
    BIGGER,
    SMALLER,
    Action,
    BudgetLine,
    Kpi,
    KpiResult,
    Priority,
    PriorityUpdate,
    ReportPeriod,
    Risk,
    RiskAssessment,
    SavingLine,
)

YEAR = 2019
F000, F004 = "000_0692e8566ba44968.txt", "004_eefa4e81a284a492.txt"
NEW = "New for 19/20"
NO_BENCHMARK = "No benchmark available"

# (section, title as in the reports' Table 4, source)
PRIORITIES = [
    (5, "Keeping Barnet safe", f"{F000}:735, {F004}:24"),
    (6, "Tackling anti-social behaviour and environmental crime", f"{F000}:736, {F004}:30"),
    (
        7,
        "Celebrating diverse and strong communities and taking a zero-tolerance approach to hate crime",
        f"{F000}:737, {F004}:32",
    ),
    (8, "Focusing on the strengths of the community", f"{F000}:738, {F004}:38"),
    (
        9,
        "Continuing to maximise access to libraries through a technology and digitally enabled service",
        f"{F000}:739, {F004}:39",
    ),
]

# (section, description, timescale, source): "How will we achieve this?" / "Year 1 Timescales".
ACTIONS = [
    (
        5,
        "Deliver a co-ordinated multi-agency response to repeat anti-social behaviour (ASB) to support repeat "
        "victims and tackle persistent ASB",
        "Mar 2020",
        f"{F004}:24",
    ),
    (
        5,
        "Promote and utilise the OWL (Online Watch Link) app so that more residents can receive crime prevention "
        "advice and updates from Neighbourhood Policing Team and Neighbourhood Watch",
        "Dec 2019",
        f"{F004}:25, {F004}:29",
    ),
    (
        6,
        "Work in partnership with the organisations of the Barnet Safer Communities Partnership to implement and "
        "enforce Public Space Protection Orders to tackle street drinking related ASB",
        "Mar 2020",
        f"{F004}:30",
    ),
    (
        6,
        "Work with the Safer Communities partners to strengthen coordinated multi-agency problem solving focused "
        "on neighbourhoods with higher levels of ASB and environmental crime",
        "Mar 2020",
        f"{F004}:31",
    ),
    (
        7,
        "Strengthen the partnership approach to tackling Hate Crime through the continued delivery of the Barnet "
        "Zero Tolerance to Hate Crime project which aims to increase the confidence of victims and witnesses of "
        "Hate Crime to report it",
        "Mar 2020",
        f"{F004}:32",
    ),
    (
        7,
        "Deliver a co-ordinated communications campaign raising awareness about Hate Crime and promoting the Hate "
        "Crime Reporting Centres",
        "Oct 2019",
        f"{F004}:33",
    ),
    (
        7,
        "Deliver a training programme to community organisations recruited as reporting centres and VCFS "
        "organisations supporting the most vulnerable in the community so that they are able to identify hate "
        "crimes, provide support and advice for victims of Hate Crime",
        "Mar 2020",
        f"{F004}:37",
    ),
    (
        7,
        "Celebrate diverse communities by bringing them together and sharing information on activities via the "
        "Communities Together Network, including the CTN Bulletin",
        "Mar 2020",
        f"{F004}:37",
    ),
    (
        8,
        "Continue to work with Inclusion Barnet and Volunteering Barnet to provide support to residents and groups "
        "who want to build on the strengths of the community",
        "Mar 2020",
        f"{F004}:38",
    ),
    (
        8,
        "Promote volunteering opportunities to residents via the CTN, Barnet First and council website",
        "Mar 2020",
        f"{F004}:38",
    ),
    (
        9,
        "Provide spaces to hire for community groups in all Barnet's libraries and enable rooms to be booked "
        "online via the Booking Live system",
        "Mar 2020",
        f"{F004}:39",
    ),
    (9, "Raise awareness of the range of services available in libraries and maximise use", "Mar 2020", f"{F004}:43"),
    (
        9,
        "Provide an enhanced Library Management System (LMS) to enable residents to search for information and "
        "reserve books and other items online",
        "Apr 2019",
        f"{F004}:44",
    ),
]


def q(
    line,
    target,
    result=None,
    result_note="",
    previous=None,
    previous_note=NEW,
    benchmark=NO_BENCHMARK,
    rag="",
    dot=NEW,
    notes="",
):
    """One quarter's printed KPI line."""
    return dict(
        line=line,
        target=target,
        result=result,
        result_note=result_note,
        previous_result=previous,
        previous_result_note=previous_note if previous is None else "",
        benchmark=benchmark,
        published_rag=rag,
        published_dot=dot,
        notes=notes,
    )


# Each KPI: definition, then its Q1 and Q2 lines. Measures as marked in the Q2 tables (000:1105 footnote 3).
KPIS = [
    # --- 5. Keeping Barnet safe (000:768-771 Q1, 000:1121-1124 Q2) ---
    dict(
        section=5,
        name="Complex repeat ASB cases to be problem solved through Community Safety MARAC",
        polarity=BIGGER,
        measure="",
        annual_target="30",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:24",
        q1=q(768, "7", 19, rag="G"),
        q2=q(1121, "7", 18, rag="G"),
    ),
    dict(
        section=5,
        name="Residents signed up to OWL",
        polarity=BIGGER,
        measure="s",
        annual_target=">20000",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:25",
        notes="The delivery plan's target was TBC (% increase on 2018/19: 004:25, 004:27; 000:769); the Q2 "
        "report gives >20000 (000:1122).",
        q1=q(769, "Monitor", 22789),
        q2=q(1122, "Monitor", 24103),
    ),
    dict(
        section=5,
        name="Overall crime rate in Barnet (total notifiable offences)",
        polarity=SMALLER,
        measure="r",
        annual_target="Monitor",
        previous_year_end="74.12",
        new=False,
        source=f"{F004}:25",
        notes="18/19 EOY: rolling 12 months to February 2019 (000:782).",
        q1=q(
            770,
            "Monitor",
            77.0,
            previous=70.4,
            benchmark="London 95.0 (Jul 18 - Jun 19, Met Police)",
            dot="↓ W +9.4%",
            notes="Result: rolling 12 months to June 2019 (000:784). Last year: rolling 12 months to May 2018 "
            "(000:786).",
        ),
        q2=q(
            1123,
            "Monitor",
            77.9,
            previous=71.1,
            benchmark="London 99.85 (Aug 18 - Jul 19, Met Police)",
            dot="↓ W +9.6%",
            notes="Result: rolling 12 months to July 2019. Last year: rolling 12 months to September 2018 "
            "(000:1134-1136).",
        ),
    ),
    dict(
        section=5,
        name="Overall rate of burglary in Barnet",
        polarity=SMALLER,
        measure="r",
        annual_target="Monitor",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:29",
        q1=q(771, "Monitor", 27, benchmark="London 24.7 (Jul 18 - Jun 19, Met Police)"),
        q2=q(
            1124,
            "Monitor",
            9.54,
            benchmark="London 9.22 (Aug 18 - Jul 19, Met Police)",
            notes="Rolling 12 months to July 2019 (1 Aug 18 to 31 July 19) (000:1138).",
        ),
    ),
    # --- 6. Tackling anti-social behaviour and environmental crime (000:806-809 Q1, 000:1159-1173 Q2) ---
    dict(
        section=6,
        name="PSPOs implemented",
        polarity=BIGGER,
        measure="s",
        annual_target="3",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:30",
        notes="The target is 3 PSPOs implemented at any point in time (000:1163).",
        q1=q(806, "3", 4, rag="G"),
        q2=q(1159, "3", 4, rag="G"),
    ),
    dict(
        section=6,
        name="Volume of ASB calls to police",
        polarity=SMALLER,
        measure="r",
        annual_target="Fewer than 7855",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:30",
        notes="A 5% reduction vs. 2017/18 baseline of 8,268 calls (004:35; 000:815).",
        q1=q(
            807, "7855", 8893, previous=8078, rag="R", dot="↓ W +10%", notes="Rolling 12 months to June 2019 (000:817)."
        ),
        # 000:1160 prints "↓ W +10%": (9252 - 8000) / 8000 x 100 is +15.7%.
        q2=q(
            1160,
            "7855",
            9252,
            previous=8000,
            rag="R",
            dot="↓ W +10%",
            notes="Rolling 12 months to September 2019 (000:1167).",
        ),
    ),
    dict(
        section=6,
        name="Multi-agency action plans in place to address high impact ASB and environmental crime areas",
        polarity=BIGGER,
        measure="s",
        annual_target="6",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:31",
        notes="The target is to have at least six active plans in place at any point in time (000:1169).",
        q1=q(808, "2", 4, rag="G"),
        q2=q(1161, "2", 11, rag="G"),
    ),
    dict(
        section=6,
        name="Community engagement and communication campaigns delivered per year",
        polarity=BIGGER,
        measure="annual",
        annual_target="2",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:31",
        q1=q(809, "2", result_note="Due Q4 19/20"),
        q2=q(1173, "Annual", result_note="Due Q4 19/20"),
    ),
    # --- 7. Hate crime (000:847-860 Q1, 000:1203-1220 Q2) ---
    dict(
        section=7,
        name="Racist and religious hate crime",
        polarity=SMALLER,
        measure="r",
        annual_target="Monitor",
        previous_year_end="729",
        new=False,
        source=f"{F004}:32",
        notes="18/19 EOY: rolling 12 months to February 2019 (000:852).",
        q1=q(847, "Monitor", 774, previous=719, dot="↓ W +7.6%"),
        q2=q(
            1203,
            "Monitor",
            796,
            previous=711,
            dot="↓ W +12%",
            notes="Rolling 12 months to September 2019 (Oct 18 to Sep 19); last year: rolling 12 months to "
            "August 2018 (000:1208, 000:1210).",
        ),
    ),
    # 000:848 and 000:1204 print "9 (A)" against a target of 10: 10% off target, RED by footnote 2.
    dict(
        section=7,
        name="Hate Crime Reporting Centres in Barnet",
        polarity=BIGGER,
        measure="s",
        annual_target="10",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:32",
        live_source="directory_category_count:Hate Crime Reporting Centre",
        notes="The target is for minimum of 10 Hate Crime Reporting Centres to be in operation at any one time "
        "(000:854).",
        q1=q(848, "10", 9, rag="A"),
        q2=q(1204, "10", 9, rag="A"),
    ),
    dict(
        section=7,
        name="Residents signed up as Hate Crime Awareness Champions",
        polarity=BIGGER,
        measure="c",
        annual_target="50",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:33",
        q1=q(849, "12", 12, rag="G"),
        q2=q(1216, "20", 21, rag="G"),
    ),
    dict(
        section=7,
        name="Training sessions delivered across the partnership",
        polarity=BIGGER,
        measure="c",
        annual_target="10",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:37",
        q1=q(850, "2", 2, rag="G"),
        q2=q(1217, "2", 3, rag="G", notes="This is a cumulative target and remains the same as for Q1 (000:1236)."),
    ),
    dict(
        section=7,
        name="Number of staff to receive training across the partnership",
        polarity=BIGGER,
        measure="c",
        annual_target="100",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:37",
        q1=q(858, "25", 4, rag="R"),
        q2=q(
            1218,
            "16",
            16,
            rag="G",
            notes="A reduced cumulative target in Q2 (from Q1) to reflect the programme "
            "of training sessions (000:1238).",
        ),
    ),
    dict(
        section=7,
        name="Number of Hate Crime Awareness workshops delivered",
        polarity=BIGGER,
        measure="c",
        annual_target="5",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:37",
        q1=q(859, "2", 3, rag="G"),
        q2=q(1219, "3", 6, rag="G"),
    ),
    dict(
        section=7,
        name="Number of CTN meetings held per year",
        polarity=BIGGER,
        measure="q",
        annual_target="4",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:37",
        live_source="ctn_meetings_held",
        q1=q(860, "1", 1, rag="G"),
        q2=q(1220, "1", 1, rag="G"),
    ),
    # --- 8. Strengths of the community (000:882-886 Q1, 000:1248-1252 Q2) ---
    dict(
        section=8,
        name="Residents who agree that people pull together to help improve the area",
        polarity=BIGGER,
        unit="%",
        measure="annual",
        annual_target="54%",
        previous_year_end="51% (Autumn 17)",
        new=False,
        source=f"{F004}:38",
        notes="Annual KPI from the Residents' Perception Survey (RPS) (000:902).",
        q1=q(882, "54%", result_note="Due Q3 19/20", previous_note="No RPS 18/19", dot="No RPS 18/19"),
        q2=q(1248, "54%", result_note="Due Q3 19/20", previous_note="No RPS 18/19", dot="No RPS 18/19"),
    ),
    dict(
        section=8,
        name="Number of hours of 121 surgeries",
        polarity=BIGGER,
        measure="q",
        annual_target="36",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:38",
        q1=q(883, "9", 9, rag="G"),
        q2=q(1249, "9", 11, rag="G"),
    ),
    dict(
        section=8,
        name="Number of Funders Fairs",
        polarity=BIGGER,
        measure="bi-annual",
        annual_target="2",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:38",
        q1=q(884, "1", 1, rag="G"),
        q2=q(
            1250,
            "Not due",
            result_note="Due Q3 19/20",
            notes="2 by Q3 19/20: KPI reported bi-annually so target for Q3 (000:1262, 000:1264).",
        ),
    ),
    dict(
        section=8,
        name="Residents who volunteer at least once a month",
        polarity=BIGGER,
        unit="%",
        measure="annual",
        annual_target="33%",
        previous_year_end="30 (Autumn 17)",
        new=False,
        source=f"{F004}:38",
        notes="Annual KPI from the Residents' Perception Survey (RPS) (000:904).",
        q1=q(885, "33%", result_note="Due Q3 19/20", previous_note="No RPS 18/19", dot="No RPS 18/19"),
        q2=q(1251, "33%", result_note="Due Q3 19/20", previous_note="No RPS 18/19", dot="No RPS 18/19"),
    ),
    dict(
        section=8,
        name="Number of new residents registering to be a volunteer",
        polarity=BIGGER,
        measure="c",
        annual_target="750",
        previous_year_end=NEW,
        new=True,
        source=f"{F004}:38",
        q1=q(886, "187", 218, rag="G"),
        q2=q(1252, "374", 458, rag="G"),
    ),
]

# 9. Libraries: six KPIs, all "Monitor" while a baseline is set (004:39-48); 000:914 and 000:1283: they are
# being reviewed with the independent evaluation, so no results were reported in Q1 or Q2. Polarity is not
# printed for these; bigger is better is assumed.
LIBRARY_KPIS = [
    ("Percentage of rooms booked per available hour", "%", f"{F004}:39"),
    ("Number of events taking place in community rooms", "", f"{F004}:39"),
    ("Number of Year of Learning attendees", "", f"{F004}:43"),
    ("Library membership and Self-Service Opening registration", "", f"{F004}:43"),
    ("Number of online reservations", "", f"{F004}:44"),
    ("Number of visits to online catalogue", "", f"{F004}:44"),
]

# (section, code, title, Q1 (line, score, controls), Q2 (line, score, controls) or None)
RISKS = [
    (
        5,
        "CLL01",
        "Missed opportunities for early intervention",
        (
            777,
            9,
            "A multi-agency secure information sharing system (ECINS) is in place to ensure timely sharing of "
            "information on ASB cases; the Community Safety MARAC provides multi-agency oversight.",
        ),
        (
            1130,
            9,
            "Information sharing on ECINS is live; a new Information Sharing Agreement was presented to the "
            "Safer Communities Partnership Board in July 2019.",
        ),
    ),
    (
        5,
        "CLL02",
        "Under-utilisation of OWL system",
        (778, 3, "The OWL system has been promoted across the Safer Communities Partnership; feedback positive."),
        (1142, 3, "The OWL system has been promoted across the Safer Communities Partnership; high uptake."),
    ),
    (
        6,
        "CLL03",
        "Challenges to Public Space Protection Orders (PSPOs)",
        (
            819,
            8,
            "A PSPO is considered only after other options; oversight by the Community Safety MARAC, JTAG and "
            "the ASB Delivery Group; extensive public consultation.",
        ),
        (1179, 8, "Evidence-led approach including public consultation; current PSPOs show reductions in ASB."),
    ),
    (
        6,
        "CLL04",
        "Ineffective enforcement of PSPOs",
        (820, 6, "Multi-agency oversight by JTAG and the ASB Delivery Group, with regular reviews of enforcement."),
        (
            1180,
            9,
            "Increased from 6: summer/autumn are seasonal high points for alcohol related ASB; monitored by JTAG.",
        ),
    ),
    (
        6,
        "CLL05",
        "Ineffective community engagement",
        (
            821,
            6,
            "Analysis joins up information across the Safer Communities Partnership; a Community Safety "
            "Strategic Assessment is under way.",
        ),
        (1181, 6, "Analysis overseen by an Analysis Core Group; the Strategic Assessment continues."),
    ),
    (
        7,
        "CLL06",
        "Lack of consistent communication",
        (
            866,
            12,
            "Actions planned through the year to encourage reporting; the project reports every six months "
            "to the Safer Communities Partnership Board.",
        ),
        (1226, 12, "Actions planned through to March 2020 with Barnet Mencap, the Police and partners."),
    ),
    (
        7,
        "CLL07",
        "Hate Crime awareness training programme",
        (
            867,
            8,
            "Training attendance is monitored and reported every six months to the Safer Communities "
            "Partnership Board.",
        ),
        (1227, 8, "Training attendance monitored; a report to CLL Committee is being prepared."),
    ),
    (
        8,
        "G&C050",
        "Availability of resources to the voluntary sector",
        (892, 9, "Partnership activity; strategic plans aligned; regular Partnership Board meetings."),
        (1258, 9, "As Q1; contract monitoring meetings held regularly with Barnet Together."),
    ),
    # Merged with G&C050 in Q2 (000:1268 footnote 25), so no Q2 assessment.
    (
        8,
        "G&CS051",
        "Working with the Voluntary Community Faith Sector (VCFS)",
        (
            893,
            9,
            "Strategic plans aligned; regular Partnership Board meetings; a lead officer appointed to "
            "strengthen partnerships with the VCFS.",
        ),
        None,
    ),
    (
        9,
        "FS031",
        "Customers unable to book online",
        (919, 5, "Customers can still book events and rooms by email and in branch while Booking Live is built."),
        (1288, 5, "The initial phase of Booking Live has been delivered and is ready for live data."),
    ),
    (
        9,
        "FS032",
        "Delay in new Library Management System",
        (920, 6, "Circulation modules installed; online ordering continues directly via Integra."),
        (1289, 6, "Circulation modules installed; integration with the corporate finance system continues."),
    ),
]

# Per priority and quarter: (published actions summary, published overall, commentary lines).
UPDATES = {
    1: {
        5: (
            "Satisfactory",
            "Satisfactory",
            744,
            742,
            "In Q1, the CS MARAC co-ordinated interventions across 19 new ASB cases and over 40 existing ASB cases; "
            "over 20,000 people in Barnet were signed up to OWL (000:746, 000:748).",
        ),
        6: (
            "Satisfactory",
            "Satisfactory",
            794,
            792,
            "There are four PSPOs in place, alongside multi-agency interventions (000:796).",
        ),
        7: (
            "Good",
            "Good",
            826,
            824,
            "Nine Hate Crime Reporting Centres are spread across the borough; the Together, we are Barnet campaign "
            "launched in June 2019; a CTN meeting was held on 6 June at Unitas (000:829-833).",
        ),
        8: (
            "Satisfactory",
            "Satisfactory",
            872,
            870,
            "One-to-one sessions and workshops delivered to support the VCS sector (000:874).",
        ),
        9: (
            "Satisfactory",
            "Satisfactory",
            898,
            896,
            "A new Library Management System went live in April 2019; Booking Live user acceptance testing "
            "completed (000:900-906).",
        ),
    },
    2: {
        5: (
            "Good",
            "Good",
            1099,
            1097,
            "Temporary CCTV cameras deployed to ASB and environmental crime hotspots; over 24,000 people signed up "
            "to OWL by end September 2019 (000:1101, 000:1111).",
        ),
        6: (
            "Good",
            "Good",
            1147,
            1145,
            "Four PSPOs were live in Q2: Burnt Oak, Edgware Town Centre, Childs Hill (street drinking) and a Dog "
            "Control PSPO (000:1149).",
        ),
        7: (
            "Good",
            "Good",
            1186,
            1184,
            "309 Hate Crime Awareness Champions; the target of five Hate Crime Awareness Workshops is met; the "
            "latest CTN bulletin was published on 13 September 2019 (000:1190-1192).",
        ),
        8: (
            "Satisfactory",
            "Good",
            1232,
            1230,
            "Some contract performance for Volunteering Barnet was disappointing; work on the Barnet community "
            "directory has been paused pending a review (000:1234).",
        ),
        9: (
            "Satisfactory",
            "Satisfactory",
            1273,
            1270,
            "New Barnet Partnership Library opened on 24 September 2019; Booking-Live is being populated "
            "(000:1275-1281).",
        ),
    },
}

# Table 2 (£000): (line, service, revised budget, forecast, reserve movements, published forecast after
# reserve movements when it differs from forecast + reserve movements).
BUDGET = {
    1: [
        (705, "Community Safety", 1936, 1961, 0, None),
        (706, "Libraries and Community Engagement", 3538, 3583, 0, None),
    ],
    # 000:1059 prints 3,583 after reserve movements although the forecast is 3,618 and the movements 0.
    2: [
        (1058, "Community Safety", 1936, 1961, 0, None),
        (1059, "Libraries and Community Engagement", 3538, 3618, 0, 3583),
    ],
}
# Table 3 (£000): 000:718 (Q1), 000:1071 (Q2); the saving itself: 004:18.
SAVING = (
    "S1",
    "Community Safety",
    "CCTV: Reduce expenditure associated with CCTV once the capital contribution towards investment has been paid off.",
    243,
    243,
    "The capital contribution ceased in 18/19",
)
SAVING_LINES = {1: 718, 2: 1071}


def load_demo():
    """Load the 2019/20 plan and the Q1 and Q2 reports unless they are already there."""
    if db.session.scalar(db.select(Priority.id).where(Priority.year_start == YEAR)):
        return "Reporting: the 2019/20 delivery plan is already loaded."
    priorities = {}
    for section, title, source in PRIORITIES:
        priorities[section] = Priority(year_start=YEAR, position=section, title=title, source=source)
        db.session.add(priorities[section])
    for position, (section, description, timescale, source) in enumerate(ACTIONS, start=1):
        db.session.add(
            Action(
                priority=priorities[section],
                position=position,
                description=description,
                timescale=timescale,
                source=source,
            )
        )
    periods = {
        # 000:674 "Quarter 1 (Q1) 2019/20 Delivery Plan Performance Report"
        1: ReportPeriod(year_start=YEAR, quarter=1, status=APPROVED, approved_at=datetime(2019, 11, 20)),
        # 000:1026-1027 "20 November 2019", "Quarter 2 (Q2) 2019/20 Delivery Plan Performance Report"
        2: ReportPeriod(
            year_start=YEAR,
            quarter=2,
            status=APPROVED,
            committee_date=date(2019, 11, 20),
            approved_at=datetime(2019, 11, 20),
        ),
    }
    db.session.add_all(periods.values())
    for position, spec in enumerate(KPIS, start=1):
        kpi = Kpi(
            priority=priorities[spec["section"]],
            position=position,
            name=spec["name"],
            polarity=spec["polarity"],
            unit=spec.get("unit", ""),
            measure=spec["measure"],
            annual_target=spec["annual_target"],
            previous_year_end=spec["previous_year_end"],
            new_for_year=spec["new"],
            live_source=spec.get("live_source"),
            notes=spec.get("notes", ""),
            source=spec["source"],
        )
        db.session.add(kpi)
        for quarter in (1, 2):
            figures = dict(spec[f"q{quarter}"])
            line = figures.pop("line")
            figures["notes"] = (figures["notes"] + " " if figures["notes"] else "") + f"Source: {F000}:{line}."
            db.session.add(KpiResult(period=periods[quarter], kpi=kpi, **figures))
    for position, (name, unit, source) in enumerate(LIBRARY_KPIS, start=len(KPIS) + 1):
        kpi = Kpi(
            priority=priorities[9],
            position=position,
            name=name,
            polarity=BIGGER,
            unit=unit,
            annual_target="Monitor",
            previous_year_end=NEW,
            new_for_year=True,
            source=source,
            notes="Target set as Monitor whilst Year 1 baseline established (004:41).",
        )
        db.session.add(kpi)
        for quarter, line in ((1, 914), (2, 1283)):
            db.session.add(
                KpiResult(
                    period=periods[quarter],
                    kpi=kpi,
                    target="Monitor",
                    result_note="Under review with the independent evaluation of the Library Service",
                    previous_result_note=NEW,
                    benchmark=NO_BENCHMARK,
                    notes=f"Source: {F000}:{line}.",
                )
            )
    risks = {}
    for position, (section, code, title, first, second) in enumerate(RISKS, start=1):
        risk = Risk(
            priority=priorities[section], position=position, code=code, title=title, source=f"{F000}:{first[0]}"
        )
        risks[code] = risk
        db.session.add(risk)
        for quarter, assessed in ((1, first), (2, second)):
            if assessed is None:
                continue
            line, score, controls = assessed
            db.session.add(
                RiskAssessment(
                    period=periods[quarter], risk=risk, score=score, controls=f"{controls} (Source: {F000}:{line}.)"
                )
            )
    # 000:1268 footnote 25: "G&C051 - Working with the Voluntary Community Faith Sector (VCFS) has been merged
    # with G&C050 – Availability of resources to the voluntary sector." (the Q1 report printed it as G&CS051)
    risks["G&CS051"].merged_into = risks["G&C050"]
    risks["G&CS051"].ended_in = periods[2]
    for quarter, updates in UPDATES.items():
        for section, (actions_rating, overall, _actions_line, _overall_line, commentary) in updates.items():
            db.session.add(
                PriorityUpdate(
                    period=periods[quarter],
                    priority=priorities[section],
                    actions_commentary=commentary,
                    # Sources of the printed ratings: actions {F000}:{actions_line}, overall {F000}:{overall_line}.
                    published_actions_rating=actions_rating,
                    published_overall_rating=overall,
                )
            )
    for quarter, lines in BUDGET.items():
        for position, (line, service, budget, forecast, reserves, published_after) in enumerate(lines, start=1):
            db.session.add(
                BudgetLine(
                    period=periods[quarter],
                    position=position,
                    service=service,
                    revised_budget=budget,
                    forecast=forecast,
                    reserve_movements=reserves,
                    published_forecast_after_reserves=published_after,
                    commentary=f"Source: {F000}:{line}.",
                )
            )
    for quarter, line in SAVING_LINES.items():
        ref, area, description, saving, forecast, comment = SAVING
        db.session.add(
            SavingLine(
                period=periods[quarter],
                position=1,
                ref=ref,
                service_area=area,
                description=description,
                saving=saving,
                forecast=forecast,
                comment=f"{comment} (Source: {F000}:{line}; {F004}:18.)",
            )
        )
    db.session.commit()
    return (
        f"Reporting: 2019/20 delivery plan ({len(PRIORITIES)} priorities, {len(KPIS) + len(LIBRARY_KPIS)} KPIs, "
        f"{len(RISKS)} risks) and the Q1 and Q2 reports loaded."
    )
