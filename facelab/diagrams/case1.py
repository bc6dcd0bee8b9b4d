"""Diagrams for case 1: Lee Kai-fu's remark about Megvii and face data (12 Sep 2020).

Every diagram on the pages under ``cases/face-data-remark/`` is defined here
and drawn at build time with ```` ```{dataflow} name ```` .

Statuses follow the fact brief: flows that the sources describe as general
industry practice are ``described``; what the anonymous sources suggest
without evidence is ``unverified``; Lee's remark is ``retracted``; Ant's
account is ``stated`` (its own statement), and the transfer it rules out is
``denied``.
"""

from __future__ import annotations

from ..flows import (
    Actor,
    DataFlowDiagram,
    Flow,
    Organisation,
    Process,
    Stake,
    StakeholderMap,
    Statement,
    StatementSequence,
    Store,
)

# -- Stakeholders -------------------------------------------------------------

STAKEHOLDERS = StakeholderMap(
    name="remark-stakeholders",
    title="Who had what at stake in Lee Kai-fu's remark",
    description=(
        "Seven actors around Lee Kai-fu's remark of 12 September 2020, each linked to "
        "the remark by what it had at stake: Lee and Sinovation, Megvii, Ant Group, Meitu, "
        "end users, the media, and regulators."
    ),
    centre="Lee's remark, 12 Sep 2020",
    stakes=(
        Stake(
            "lee",
            "Lee Kai-fu and Sinovation Ventures",
            "Investor that led Megvii's 2013 Series A; Lee gave the talk",
            "Lee's standing as a public voice on AI ethics, and Sinovation's relations "
            "with its portfolio companies and their partners",
            "reputation, portfolio ties",
        ),
        Stake(
            "megvii",
            "Megvii (Face++)",
            "Face-recognition vendor selling a cloud API and private deployments",
            "A planned listing in Shanghai after its Hong Kong filing lapsed, while on the "
            "US Entity List; and clients' trust that their data is not shared",
            "listing, client trust",
        ),
        Stake(
            "ant",
            "Ant Group",
            "Operator of Alipay; early Megvii investor and customer",
            "Regulators' and investors' confidence, days before its Shanghai listing review",
            "listing review, user trust",
        ),
        Stake(
            "meitu",
            "Meitu",
            "Selfie and beauty-app maker named in the remark",
            "Its users' trust after being named as a data partner; whether it answered "
            "publicly is disputed",
            "named as a partner",
            status="unverified",
        ),
        Stake(
            "users",
            "End users of Alipay and Meitu",
            "People whose faces the apps capture; silent in the record",
            "Their own biometric data, which is what the case is about",
            "their own faces",
        ),
        Stake(
            "media",
            "Media and re-publishers",
            "Mainland, overseas Chinese and advocacy outlets; content farms",
            "How the story is framed: a start-up anecdote, platform power, surveillance "
            "or consumer protection",
            "framing the story",
        ),
        Stake(
            "regulators",
            "Regulators and courts",
            "Chinese lawmakers, regulators and courts; US export and investment controls",
            "How face data should be governed; China's personal-information law came "
            "in 2021, after the events",
            "rules for face data",
        ),
    ),
)

# -- The evening of 12 September 2020 ------------------------------------------

EVENING = StatementSequence(
    name="remark-evening",
    title="Statements on 12 September 2020, in order",
    description=(
        "Four public statements on one day: Lee's remark in the morning, Ant's clarification "
        "at about 20:00, Lee's apology at about 21:00 and Megvii's statement later that night. "
        "The times come from press reports."
    ),
    participants=(
        ("lee", "Lee Kai-fu"),
        ("ant", "Ant Group"),
        ("megvii", "Megvii"),
        ("public", "Audience, press and public"),
    ),
    statements=(
        Statement(
            "morning",
            "lee",
            "public",
            "At HICOOL: Sinovation helped Megvii find partners such as Meitu and Ant, "
            "which gave it large amounts of face data",
            short="HICOOL remark: partners gave Megvii face data",
        ),
        Statement(
            "about 20:00",
            "ant",
            "public",
            "Three-point Weibo clarification: no dealings with Lee on this, never gave "
            "Megvii face data, cooperation was licensed algorithms deployed on Ant's side "
            "and has ended",
            short="Weibo: Ant never gave Megvii face data",
        ),
        Statement(
            "about 21:00",
            "lee",
            "public",
            "Weibo explanation and apology: he helped find partners to raise recognition "
            "rates, data stayed on customers' servers as he understood it, a slip of the tongue",
            short="Weibo: a slip of the tongue, an apology",
        ),
        Statement(
            "later that night",
            "megvii",
            "public",
            "Two-point Weibo statement: it helps clients keep data secure and does not hold "
            "or actively collect end users' personal information",
            short="Weibo: Megvii does not hold end users' data",
        ),
    ),
)

# -- Two deployment models (described as general practice, claim C18) ---------

_client = Organisation("client", "Client company")
_vendor = Organisation("vendor", "Face-recognition vendor")
_users = Actor("users", "End users")
_client_app = Process("clientApp", "Client app", _client)
_api = Process("vendorApi", "Vendor cloud API", _vendor)

CLOUD_API = DataFlowDiagram(
    name="remark-cloud-api",
    title="Public cloud API: the client sends face images to the vendor",
    description=(
        "End users give face images to a client app, which sends them to the vendor's cloud "
        "API and gets results back. The vendor can keep images, templates and request logs. "
        "How long it keeps them depends on contracts and practice that the sources do not show."
    ),
    flows=(
        Flow(_users, _client_app, ("RAW_IMAGE",), "take a selfie to log in or pay"),
        Flow(
            _client_app,
            _api,
            ("RAW_IMAGE",),
            "ask the vendor to detect, compare or search faces (file or image URL)",
        ),
        Flow(_api, _client_app, ("MATCH_RESULTS", "LANDMARKS"), "return scores and face points"),
        Flow(
            _api,
            Store("vendorStore", "Vendor storage", _vendor),
            ("RAW_IMAGE", "TEMPLATE", "REQUEST_LOGS"),
            "what the vendor can keep",
            status="unverified",
            note="Retention depends on contract terms and practice that the sources do not document",
        ),
    ),
)

_onprem = Process("onPrem", "Vendor software in the client's data centre", _client)
_rnd = Process("vendorRnd", "Vendor R&D and general models", _vendor)
_engineers = Actor("engineers", "Vendor engineers", _vendor)

PRIVATE_DEPLOYMENT = DataFlowDiagram(
    name="remark-private-deployment",
    title="Private deployment: images stay with the client, other things cross",
    description=(
        "The vendor's software runs inside the client's data centre, so face images and "
        "templates stay on the client's servers. What still crosses the boundary: software "
        "and model updates, engineers working on site, and, as anonymous sources suggest, "
        "accuracy reports and know-how flowing back to the vendor."
    ),
    flows=(
        Flow(_users, _client_app, ("RAW_IMAGE",), "take a selfie to log in or pay"),
        Flow(_client_app, _onprem, ("RAW_IMAGE",), "recognise faces inside the client"),
        Flow(
            _onprem,
            Store("clientStore", "Client's image and template store", _client),
            ("RAW_IMAGE", "TEMPLATE"),
            "data stays on the client's servers",
        ),
        Flow(_rnd, _onprem, ("SOFTWARE", "MODEL_WEIGHTS"), "licence and model updates"),
        Flow(_engineers, _onprem, ("ENGINEER_ACCESS",), "install, tune and maintain on site"),
        Flow(
            _onprem,
            _rnd,
            ("ACCURACY_METRICS",),
            "accuracy reports from the project",
            status="unverified",
        ),
        Flow(
            _engineers,
            _rnd,
            ("KNOW_HOW",),
            "what engineers learn on custom projects",
            status="unverified",
            note="Asserted by anonymous industry sources, not shown",
        ),
    ),
)

_extract = Process("clientExtract", "Landmark extraction", _client)

FEATURE_POINTS = DataFlowDiagram(
    name="remark-feature-points",
    title="The feature-points reading: points leave, images stay",
    description=(
        "One anonymous reading of the remark: the client keeps its face images but passes "
        "collection points (more than 80 per face) to the vendor for training and evaluation. "
        "This comes from a single unnamed source and is unverified; reading the points as "
        "landmarks is this module's interpretation."
    ),
    flows=(
        Flow(_users, _client_app, ("RAW_IMAGE",), "take a selfie to log in or pay"),
        Flow(_client_app, _extract, ("RAW_IMAGE",), "compute landmark points on the client side"),
        Flow(
            _extract,
            Store("clientImages", "Client's image store", _client),
            ("RAW_IMAGE",),
            "images stay with the client",
        ),
        Flow(
            _extract,
            _rnd,
            ("LANDMARKS",),
            "train and evaluate the vendor's models",
            status="unverified",
            note="The 'more than 80 points per face' reading, from one anonymous source",
        ),
        Flow(
            _rnd,
            Store("vendorData", "Vendor training data", _vendor),
            ("LANDMARKS",),
            "kept for later training",
            status="unverified",
        ),
    ),
)

# -- Two accounts of the Ant/Meitu-Megvii relationship --------------------------

_megvii = Organisation("megvii", "Megvii")
_ant = Organisation("ant", "Ant Group")
_meitu = Organisation("meitu", "Meitu")
_megvii_rnd = Process("megviiRnd", "Megvii model development", _megvii)

LEE_ACCOUNT = DataFlowDiagram(
    name="remark-lee-account",
    title="Lee's remark as reported: partners' face data reaches Megvii",
    description=(
        "As Lee's morning remark was reported, partners that Sinovation found for Megvii, "
        "Meitu and Ant, gave Megvii large amounts of face data. Lee withdrew this the same "
        "evening as a slip of the tongue, so both arrows are dashed."
    ),
    flows=(
        Flow(
            Process("meituApps", "Meitu apps", _meitu),
            _megvii_rnd,
            ("FACE_DATA",),
            "help Megvii's models, as the remark implied",
            status="retracted",
        ),
        Flow(
            Process("alipay", "Alipay", _ant),
            _megvii_rnd,
            ("FACE_DATA",),
            "help Megvii's models, as the remark implied",
            status="retracted",
        ),
    ),
    extra_elements=(Actor("sinovation", "Sinovation Ventures (introduced the partners)"),),
)

_ant_deploy = Process("antDeploy", "Megvii algorithms deployed on Ant's side", _ant)
_ant_store = Store("antStore", "Ant's face data", _ant)

ANT_ACCOUNT = DataFlowDiagram(
    name="remark-ant-account",
    title="Ant's account: licensed algorithms in, no face data out",
    description=(
        "In Ant's statement, Megvii licensed its image-recognition algorithms for a "
        "standalone deployment run by Ant, face data stayed with Ant, and no data was shared "
        "with or sent to Megvii. The cooperation has ended. The transfer Ant denies is dashed."
    ),
    flows=(
        Flow(
            _megvii_rnd,
            _ant_deploy,
            ("SOFTWARE",),
            "licensed image-recognition algorithms (cooperation since ended)",
            status="stated",
        ),
        Flow(Actor("alipayUsers", "Alipay users"), _ant_deploy, ("RAW_IMAGE",), "face authentication", status="stated"),
        Flow(_ant_deploy, _ant_store, ("RAW_IMAGE", "TEMPLATE"), "kept by Ant", status="stated"),
        Flow(
            _ant_store,
            _megvii_rnd,
            ("FACE_DATA",),
            "no sharing or transmission, according to Ant",
            status="denied",
        ),
    ),
)

DIAGRAMS = (
    STAKEHOLDERS,
    EVENING,
    CLOUD_API,
    PRIVATE_DEPLOYMENT,
    FEATURE_POINTS,
    LEE_ACCOUNT,
    ANT_ACCOUNT,
)
