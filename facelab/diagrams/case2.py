"""Diagrams for case 2: masked-face photos for sale (March 2020).

Every diagram on the pages under ``cases/masked-photos/`` is defined here and
drawn at build time with ```` ```{dataflow} name ```` .

The offers were reported by 中新经纬 (Zhongxin Jingwei) from a reporter's
chats with two sellers; the photos' origin was never checked independently,
so those flows are ``reported``. The misuse for loans and company
registration was reported earlier about *unmasked* photos, so here it is
``unverified``. Laws named as safeguards are today's rules; several came into
force after the offers (PIPL on 1 November 2021), so they show what would
govern such flows now, not what the sellers broke then.
"""

from __future__ import annotations

from ..flows import Actor, DataFlowDiagram, Flow, Organisation, Process, Store

_platforms = Organisation("platforms", "Social-media platforms")
_employers = Organisation("employers", "Workplaces and estates")
_websites = Organisation("websites", "Websites and data-set hosts")
_seller_a = Organisation("sellerAOrg", "Seller A")
_seller_b = Organisation("sellerBOrg", "Seller B")
_buyers = Organisation("buyersOrg", "Buyers")
_lenders = Organisation("lenders", "Lenders, registries")

_posters = Actor("posters", "People posting photos online")
_staff = Actor("staff", "Employees and residents")
_social = Store("social", "WeChat Moments, Weibo and similar", _platforms)
_web = Store("web", "Public web pages, model photos, face data sets", _websites)
_terminals = Store("terminals", "Clock-in and gate terminals", _employers)
_a = Process("sellerA", "Seller A: about 20,000 photos for 1,000 yuan", _seller_a)
_b = Process("sellerB", "Seller B: 0.2 yuan a photo", _seller_b)
_buyer = Actor("buyers", "Buyers", _buyers)
_train = Process("training", "Training masked-face recognition", _buyers)
_fraud = Process("fraud", "Loan and company-registration applications", _lenders)

_SALE_RULES = (
    "No illegal sale of personal information (Cybersecurity Law Art. 44, from 1 Jun 2017); "
    "separate consent before giving personal information to another party (PIPL Art. 23, from 1 Nov 2021); "
    "no selling or profiting from biometric data (Illinois BIPA §15(c), for comparison)"
)

SUPPLY_CHAIN = DataFlowDiagram(
    name="masks-supply-chain",
    title="Where the masked-face photos came from and where they went",
    description=(
        "Photos posted on social media, photos on public web pages and in face data sets, and "
        "photos taken at workplace clock-in and residential gate terminals reach two sellers, "
        "by the sellers' own account. Seller A offered about "
        "20,000 images for 1,000 yuan, some crawled from the web and some, he said, from "
        "clock-in and gate terminals. Seller B offered social-media photos at 0.2 yuan each. "
        "The sellers said buyers used such photos to train algorithms; no sale was shown. Use "
        "for loans or company registration is unverified."
    ),
    flows=(
        Flow(
            _posters,
            _social,
            ("MASKED_IMAGE",),
            "share photos with friends",
            safeguard="Platform terms and privacy settings",
        ),
        Flow(
            _staff,
            _terminals,
            ("MASKED_IMAGE", "ACCESS_LOGS"),
            "clock in at work, enter the residential compound",
            status="reported",
            safeguard=(
                "Separate consent for biometric data and a purpose limited to attendance or "
                "entry (PIPL Arts. 28-29, from 1 Nov 2021); an alternative to face entry "
                "(SPC interpretation Art. 10, from 1 Aug 2021)"
            ),
        ),
        Flow(
            _terminals,
            _a,
            ("MASKED_IMAGE",),
            "copied out of the terminals' records",
            status="reported",
            note="Origin claimed by the seller, not checked by anyone",
            safeguard="Employers' and property managers' data-handling rules and access controls against insiders",
        ),
        Flow(
            _web,
            _a,
            ("MASKED_IMAGE",),
            "crawled from the web",
            status="reported",
            note="Seller A's own account of part of his set, not checked by anyone",
            safeguard="Site terms and data-set licences against scraping and reuse; anti-scraping controls",
        ),
        Flow(
            _social,
            _b,
            ("MASKED_IMAGE",),
            "crawled from public posts",
            status="reported",
            safeguard="Platform terms against scraping; anti-scraping controls",
        ),
        Flow(_a, _buyer, ("MASKED_IMAGE",), "offered as a data set", status="reported", safeguard=_SALE_RULES),
        Flow(_b, _buyer, ("MASKED_IMAGE",), "offered per photo", status="reported", safeguard=_SALE_RULES),
        Flow(
            _buyer,
            _train,
            ("MASKED_IMAGE",),
            "train algorithms, in the seller's own words",
            status="reported",
            safeguard="Lawful basis and consent for training on biometric data (PIPL Arts. 13, 28-29)",
        ),
        Flow(
            _buyer,
            _fraud,
            ("MASKED_IMAGE",),
            "pass identity checks for loans or company registration",
            status="unverified",
            note="Warned of in 2019 about unmasked photos sold with personal details, not shown for these",
            safeguard="Identity checks with liveness detection at lenders and registries",
        ),
    ),
)

_system = Organisation("operator", "Recognition system operator")
_developer = Organisation("developer", "Model developer")

_person = Actor("person", "Person wearing a mask")
_detect = Process("detect", "Face detection", _system)
_periocular = Process("periocular", "(a) Eye-region feature extraction", _system)
_reconstruct = Process("reconstruct", "(b) Lower-face reconstruction", _system)
_extract = Process("extract", "Ordinary template extraction", _system)
_match = Process("match", "Matching", _system)
_gallery = Store("gallery", "Enrolled templates", _system)
_trainset = Store("trainset", "Masked-face training photos", _developer)
_training = Process("training", "Model training", _developer)

RECOGNITION = DataFlowDiagram(
    name="masks-recognition",
    title="Two ways to recognise a masked face",
    description=(
        "A camera image of a masked face goes to face detection. Route (a) extracts features "
        "from the eyes and eyebrows and matches them. Route (b) reconstructs the hidden lower "
        "face, extracts an ordinary template and matches that. Both routes use models trained "
        "on masked-face photos, which gives a market in such photos a plausible demand."
    ),
    flows=(
        Flow(_person, _detect, ("MASKED_IMAGE",), "camera captures the face"),
        Flow(_detect, _periocular, ("MASKED_IMAGE",), "crop of the visible upper face"),
        Flow(_periocular, _match, ("PERIOCULAR_FEATURES",), "compare the eye region"),
        Flow(_detect, _reconstruct, ("MASKED_IMAGE",), "crop of the whole face"),
        Flow(_reconstruct, _extract, ("RECONSTRUCTED_FACE",), "fill in nose, mouth and chin"),
        Flow(_extract, _match, ("TEMPLATE",), "compare the whole-face template"),
        Flow(_gallery, _match, ("TEMPLATE",), "candidates to compare against"),
        Flow(_trainset, _training, ("MASKED_IMAGE",), "learn what a masked face looks like"),
        Flow(_training, _periocular, ("MODEL_WEIGHTS",), "trained eye-region model"),
        Flow(_training, _reconstruct, ("MODEL_WEIGHTS",), "trained reconstruction model"),
    ),
)

DIAGRAMS = (SUPPLY_CHAIN, RECOGNITION)
