"""Chinese (Simplified) labels for the data-flow model: every text the diagrams show, English -> Chinese.

The model (``flows.py``, ``diagrams/case1.py``, ``diagrams/case2.py``) is written in English. The Chinese edition of
the module draws the same diagrams with these labels: ``to_mermaid(d, lang="zh")``, ``to_table(d, lang="zh")`` and
``to_linddun_rows(d, lang="zh")`` look every text up here, and a text that is missing raises ``KeyError`` naming it,
so a new or changed English label cannot reach a Chinese page untranslated (tests/test_facelab_flows.py checks
every diagram). Terms follow docs/glossary.md. Fixed texts with fields (``{title}``) are filled after lookup.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    # -- flows.py: data categories ------------------------------------------------------------------------------
    "face data, form not stated": "人脸数据（形式未说明）",
    "raw face images": "原始人脸图像",
    "masked face photos": "戴口罩的人脸照片",
    "landmark coordinates": "关键点坐标",
    "eye-region features": "眼周区域特征",
    "reconstructed lower face": "重建的下半张脸",
    "face templates": "人脸特征模板",
    "identity labels": "身份标签",
    "match results": "比对结果",
    "clock-in and gate logs": "考勤和门禁记录",
    "request logs": "请求日志",
    "model weights": "模型权重",
    "accuracy metrics": "准确率指标",
    "software": "软件",
    "know-how": "技术诀窍",
    "engineers on site": "驻场工程师",
    "payment": "付款",
    # -- flows.py: statuses ----------------------------------------------------------------------------------------
    "described": "有来源描述",
    "reported": "已报道",
    "stated": "当事方陈述",
    "alleged": "据称",
    "retracted": "已撤回",
    "denied": "已否认",
    "unverified": "未经核实",
    " (alleged)": "（据称）",
    " (alleged, later retracted)": "（据称，后被撤回）",
    " (denied)": "（已否认）",
    " (unverified)": "（未经核实）",
    " (crosses a boundary)": "（跨越边界）",
    "outside any organisation": "不属于任何组织",
    # -- flows.py: tables --------------------------------------------------------------------------------------------
    "Text equivalent of the diagram: {title}": "图的文字版：{title}",
    "LINDDUN-style worksheet for: {title}": "LINDDUN 式工作表：{title}",
    "From": "从",
    "Data": "数据",
    "To": "到",
    "Purpose": "目的",
    "Status": "状态",
    "What should have stopped or governed it": "本应阻止或约束它的规则",
    "Actor": "参与者",
    "Role": "角色",
    "What was at stake": "利害所在",
    "Time": "时间",
    "Statement": "表态",
    "Element": "元素",
    "Kind": "类型",
    "Threat categories to consider": "需考虑的威胁类别",
    "Question to start with": "起始问题",
    "actor": "参与者",
    "process": "处理过程",
    "store": "数据存储",
    "flow": "数据流",
    "Linking": "可关联性",
    "Identifying": "可识别性",
    "Non-repudiation": "不可否认性",
    "Detecting": "可检测性",
    "Data disclosure": "数据披露",
    "Unawareness": "不知情",
    "Non-compliance": "不合规",
    "{label} ({org})": "{label}（{org}）",
    "{source} -> {target}: {data}": "{source} → {target}：{data}",
    "People hand biometric data to {where}: do they know what follows, and can they refuse?":
        "人们把生物特征数据交给{where}：他们知道之后会发生什么吗？能拒绝吗？",
    "Biometric data leaves {where}: who agreed, and can the receiver identify people?":
        "生物特征数据离开了{where}：谁同意的？接收方能识别出个人吗？",
    "Biometric data: is it needed here, and who can read it?": "生物特征数据：这里需要它吗？谁能读取？",
    "Can these records be linked back to a person?": "这些记录能关联回具体的人吗？",
    "Could anything learned from personal data travel with this?": "从个人数据中得到的东西会不会随之流出？",
    "The flow is {status}: what evidence would settle it?": "这条数据流的状态是“{status}”：什么证据能让它有定论？",
    "Is this flow needed for its purpose?": "这条数据流对其目的而言是必要的吗？",
    "Do these people know what happens to their data, and can they refuse?":
        "这些人知道自己的数据会怎样吗？能拒绝吗？",
    "What does this party learn, and is that proportionate?": "这一方能得知什么？是否相称？",
    "Biometric data at rest: how long is it kept, and who can query it?":
        "存储中的生物特征数据：保存多久？谁能查询？",
    "How long is this kept, and who can read it?": "这些数据保存多久？谁能读取？",
    "Does this step need biometric data, or could it work on less?": "这一步需要生物特征数据吗？能否用更少的数据完成？",
    "What does this step learn about people?": "这一步能得知关于人的什么信息？",
    # -- case 1: stakeholders ----------------------------------------------------------------------------------------
    "Who had what at stake in Lee Kai-fu's remark": "李开复那番话牵涉到谁的什么利害",
    "Seven actors around Lee Kai-fu's remark of 12 September 2020, each linked to the remark by what it had at "
    "stake: Lee and Sinovation, Megvii, Ant Group, Meitu, end users, the media, and regulators.":
        "围绕李开复2020年9月12日那番话的七个参与者，各自以其利害与这番话相连：李开复和创新工场、旷视科技、蚂蚁集团、"
        "美图、终端用户、媒体以及监管者。",
    "Lee's remark, 12 Sep 2020": "李开复的讲话，2020年9月12日",
    "Lee Kai-fu and Sinovation Ventures": "李开复和创新工场",
    "Investor that led Megvii's 2013 Series A; Lee gave the talk": "领投旷视科技2013年A轮的投资方；讲话者是李开复",
    "Lee's standing as a public voice on AI ethics, and Sinovation's relations with its portfolio companies and "
    "their partners": "李开复作为人工智能伦理公共发言人的声誉，以及创新工场与被投企业及其合作伙伴的关系",
    "reputation, portfolio ties": "声誉、投资关系",
    "Megvii (Face++)": "旷视科技（Face++）",
    "Face-recognition vendor selling a cloud API and private deployments": "提供云 API 和私有化部署的人脸识别厂商",
    "A planned listing in Shanghai after its Hong Kong filing lapsed, while on the US Entity List; and clients' "
    "trust that their data is not shared":
        "香港上市申请失效后计划在上海上市，同时身在美国实体清单上；以及客户对其数据不被共享的信任",
    "listing, client trust": "上市、客户信任",
    "Ant Group": "蚂蚁集团",
    "Operator of Alipay; early Megvii investor and customer": "支付宝的运营方；旷视科技的早期投资方和客户",
    "Regulators' and investors' confidence, days before its Shanghai listing review":
        "监管者和投资者的信心，距其上海上市审核仅有数日",
    "listing review, user trust": "上市审核、用户信任",
    "Meitu": "美图",
    "Selfie and beauty-app maker named in the remark": "讲话中点名的自拍和美颜应用开发商",
    "Its users' trust after being named as a data partner; whether it answered publicly is disputed":
        "被点名为数据合作方之后的用户信任；它是否公开回应存在争议",
    "named as a partner": "被点名为合作方",
    "End users of Alipay and Meitu": "支付宝和美图的终端用户",
    "People whose faces the apps capture; silent in the record": "应用采集其人脸的人；在材料中没有发声",
    "Their own biometric data, which is what the case is about": "他们自己的生物特征数据，也就是本案的核心",
    "their own faces": "他们自己的脸",
    "Media and re-publishers": "媒体和转载方",
    "Mainland, overseas Chinese and advocacy outlets; content farms": "大陆媒体、海外中文媒体和倡导型媒体；内容农场",
    "How the story is framed: a start-up anecdote, platform power, surveillance or consumer protection":
        "如何框定这件事：创业轶事、平台权力、监控，还是消费者保护",
    "framing the story": "框定叙事",
    "Regulators and courts": "监管者和法院",
    "Chinese lawmakers, regulators and courts; US export and investment controls":
        "中国的立法者、监管者和法院；美国的出口和投资管制",
    "How face data should be governed; China's personal-information law came in 2021, after the events":
        "人脸数据应当如何治理；中国的个人信息保护法在事件之后的2021年才出台",
    "rules for face data": "人脸数据的规则",
    # -- case 1: statements ------------------------------------------------------------------------------------------
    "Statements on 12 September 2020, in order": "2020年9月12日的各方表态（按时间顺序）",
    "Four public statements on one day: Lee's remark in the morning, Ant's clarification at about 20:00, Lee's "
    "apology at about 21:00 and Megvii's statement later that night. The times come from press reports.":
        "同一天的四次公开表态：上午李开复的讲话，约20:00蚂蚁的澄清，约21:00李开复的道歉，以及当晚稍后旷视科技的声明。"
        "时间来自媒体报道。",
    "Lee Kai-fu": "李开复",
    "Megvii": "旷视科技",
    "Audience, press and public": "听众、媒体和公众",
    "morning": "上午",
    "At HICOOL: Sinovation helped Megvii find partners such as Meitu and Ant, which gave it large amounts of face "
    "data": "在HICOOL上：创新工场帮旷视科技找到美图、蚂蚁等合作伙伴，让它拿到了大量人脸数据",
    "HICOOL remark: partners gave Megvii face data": "HICOOL讲话：合作伙伴给了旷视科技人脸数据",
    "about 20:00": "约20:00",
    "Three-point Weibo clarification: no dealings with Lee on this, never gave Megvii face data, cooperation was "
    "licensed algorithms deployed on Ant's side and has ended":
        "微博三点澄清：在此事上与李开复无往来；从未向旷视科技提供人脸数据；合作是在蚂蚁一侧部署获授权的算法，且已结束",
    "Weibo: Ant never gave Megvii face data": "微博：蚂蚁从未给旷视科技人脸数据",
    "about 21:00": "约21:00",
    "Weibo explanation and apology: he helped find partners to raise recognition rates, data stayed on customers' "
    "servers as he understood it, a slip of the tongue":
        "微博解释和道歉：他帮助寻找合作伙伴是为了提高识别率；据他理解，数据留在客户的服务器上；是口误",
    "Weibo: a slip of the tongue, an apology": "微博：口误，致歉",
    "later that night": "当晚稍后",
    "Two-point Weibo statement: it helps clients keep data secure and does not hold or actively collect end users' "
    "personal information": "微博两点声明：它帮助客户保障数据安全，不持有、也不主动收集终端用户的个人信息",
    "Weibo: Megvii does not hold end users' data": "微博：旷视科技不持有终端用户的数据",
    # -- case 1: public cloud API ------------------------------------------------------------------------------------
    "Public cloud API: the client sends face images to the vendor": "公有云 API：客户把人脸图像发给厂商",
    "End users give face images to a client app, which sends them to the vendor's cloud API and gets results back. "
    "The vendor can keep images, templates and request logs. How long it keeps them depends on contracts and "
    "practice that the sources do not show.":
        "终端用户把人脸图像交给客户的应用，应用把图像发到厂商的云 API 并取回结果。厂商可以保留图像、特征模板和请求日志。"
        "保留多久取决于合同和实际做法，来源没有说明。",
    "Client company": "客户公司",
    "Face-recognition vendor": "人脸识别厂商",
    "End users": "终端用户",
    "Client app": "客户的应用",
    "Vendor cloud API": "厂商的云 API",
    "Vendor storage": "厂商的存储",
    "take a selfie to log in or pay": "自拍以登录或付款",
    "ask the vendor to detect, compare or search faces (file or image URL)": "请厂商检测、比对或搜索人脸（文件或图片网址）",
    "return scores and face points": "返回分数和人脸关键点",
    "what the vendor can keep": "厂商可以保留的内容",
    "Retention depends on contract terms and practice that the sources do not document":
        "保留期限取决于合同条款和实际做法，来源没有记载",
    # -- case 1: private deployment ----------------------------------------------------------------------------------
    "Private deployment: images stay with the client, other things cross": "私有化部署：图像留在客户处，其他东西会跨越边界",
    "The vendor's software runs inside the client's data centre, so face images and templates stay on the client's "
    "servers. What still crosses the boundary: software and model updates, engineers working on site, and, as "
    "anonymous sources suggest, accuracy reports and know-how flowing back to the vendor.":
        "厂商的软件运行在客户的数据中心里，人脸图像和特征模板留在客户的服务器上。仍会跨越边界的有：软件和模型更新、"
        "驻场工作的工程师，以及（据匿名来源暗示）回流到厂商的准确率报告和技术诀窍。",
    "Vendor software in the client's data centre": "客户数据中心里的厂商软件",
    "Client's image and template store": "客户的图像和特征模板库",
    "Vendor R&D and general models": "厂商的研发和通用模型",
    "Vendor engineers": "厂商工程师",
    "recognise faces inside the client": "在客户内部识别人脸",
    "data stays on the client's servers": "数据留在客户的服务器上",
    "licence and model updates": "授权和模型更新",
    "install, tune and maintain on site": "现场安装、调试和维护",
    "accuracy reports from the project": "项目的准确率报告",
    "what engineers learn on custom projects": "工程师在定制项目中学到的东西",
    "Asserted by anonymous industry sources, not shown": "匿名业内人士的说法，未见证据",
    # -- case 1: feature points ----------------------------------------------------------------------------------------
    "The feature-points reading: points leave, images stay": "“特征点”解读：点流出，图像留下",
    "One anonymous reading of the remark: the client keeps its face images but passes collection points (more than "
    "80 per face) to the vendor for training and evaluation. This comes from a single unnamed source and is "
    "unverified; reading the points as landmarks is this module's interpretation.":
        "对这番话的一种匿名解读：客户保留人脸图像，但把采集点（每张脸80多个）交给厂商用于训练和评估。这一说法只有一个"
        "不具名的来源，未经核实；把这些点理解为关键点是本模块的解释。",
    "Landmark extraction": "关键点提取",
    "Client's image store": "客户的图像库",
    "Vendor training data": "厂商的训练数据",
    "compute landmark points on the client side": "在客户一侧计算关键点",
    "images stay with the client": "图像留在客户处",
    "train and evaluate the vendor's models": "训练和评估厂商的模型",
    "The 'more than 80 points per face' reading, from one anonymous source": "“每张脸80多个点”的解读，来自一个匿名来源",
    "kept for later training": "留作以后训练",
    # -- case 1: the remark as reported ---------------------------------------------------------------------------------
    "Lee's remark as reported: partners' face data reaches Megvii": "报道中的李开复讲话：合作伙伴的人脸数据流向旷视科技",
    "As Lee's morning remark was reported, partners that Sinovation found for Megvii, Meitu and Ant, gave Megvii "
    "large amounts of face data. Lee withdrew this the same evening as a slip of the tongue, so both arrows are "
    "dashed.":
        "按照报道中李开复上午的讲话，创新工场为旷视科技找到的合作伙伴美图和蚂蚁，给了旷视科技大量人脸数据。李开复当晚"
        "以口误为由收回了这一说法，所以两条箭头都是虚线。",
    "Meitu apps": "美图的应用",
    "Megvii model development": "旷视科技的模型开发",
    "Alipay": "支付宝",
    "Sinovation Ventures (introduced the partners)": "创新工场（介绍了合作伙伴）",
    "help Megvii's models, as the remark implied": "帮助旷视科技的模型（如讲话所暗示）",
    # -- case 1: Ant's account -------------------------------------------------------------------------------------------
    "Ant's account: licensed algorithms in, no face data out": "蚂蚁的说法：引入获授权的算法，人脸数据不外流",
    "In Ant's statement, Megvii licensed its image-recognition algorithms for a standalone deployment run by Ant, "
    "face data stayed with Ant, and no data was shared with or sent to Megvii. The cooperation has ended. The "
    "transfer Ant denies is dashed.":
        "按照蚂蚁的声明，旷视科技授权其图像识别算法，由蚂蚁单独部署运行；人脸数据留在蚂蚁，没有与旷视科技共享或向其传输"
        "任何数据。合作已经结束。蚂蚁否认的那次传输画成虚线。",
    "Megvii algorithms deployed on Ant's side": "部署在蚂蚁一侧的旷视算法",
    "Alipay users": "支付宝用户",
    "Ant's face data": "蚂蚁的人脸数据",
    "licensed image-recognition algorithms (cooperation since ended)": "获授权的图像识别算法（合作已结束）",
    "face authentication": "人脸认证",
    "kept by Ant": "由蚂蚁保存",
    "no sharing or transmission, according to Ant": "据蚂蚁称，没有共享或传输",
    # -- case 2: supply chain ----------------------------------------------------------------------------------------------
    "Where the masked-face photos came from and where they went": "戴口罩人脸照片从哪里来、到哪里去",
    "Photos posted on social media, photos on public web pages and in face data sets, and photos taken at workplace "
    "clock-in and residential gate terminals reach two sellers, by the sellers' own account. Seller A offered about "
    "20,000 images for 1,000 yuan, some crawled from the web and some, he said, from clock-in and gate terminals. "
    "Seller B offered social-media photos at 0.2 yuan each. The sellers said buyers used such photos to train "
    "algorithms; no sale was shown. Use for loans or company registration is unverified.":
        "据卖家自己说，发在社交媒体上的照片、公开网页和人脸数据集里的照片，以及单位考勤机和小区门禁终端拍下的照片，"
        "流到了两个卖家手里。卖家A以1000元出售约2万张图片，其中一部分从网上爬取，另一部分据他说来自考勤和门禁终端。"
        "卖家B出售社交媒体照片，每张0.2元。卖家称买家用这类照片训练算法；没有证据显示交易已经发生。用于贷款或注册公司"
        "未经核实。",
    "Social-media platforms": "社交媒体平台",
    "Workplaces and estates": "单位和小区",
    "Seller A": "卖家A",
    "Websites and data-set hosts": "网站和数据集托管方",
    "Seller B": "卖家B",
    "Buyers": "买家",
    "Lenders, registries": "放贷机构、登记机关",
    "People posting photos online": "在网上发照片的人",
    "WeChat Moments, Weibo and similar": "微信朋友圈、微博等",
    "Employees and residents": "员工和住户",
    "Clock-in and gate terminals": "考勤和门禁终端",
    "Seller A: about 20,000 photos for 1,000 yuan": "卖家A：约2万张照片，1000元",
    "Public web pages, model photos, face data sets": "公开网页、模特照片、人脸数据集",
    "Seller B: 0.2 yuan a photo": "卖家B：每张0.2元",
    "Training masked-face recognition": "训练戴口罩人脸识别",
    "Loan and company-registration applications": "贷款和公司注册申请",
    "share photos with friends": "和朋友分享照片",
    "Platform terms and privacy settings": "平台条款和隐私设置",
    "clock in at work, enter the residential compound": "上班打卡、进出小区",
    "Separate consent for biometric data and a purpose limited to attendance or entry (PIPL Arts. 28-29, from 1 Nov "
    "2021); an alternative to face entry (SPC interpretation Art. 10, from 1 Aug 2021)":
        "生物识别信息须取得单独同意，目的限于考勤或出入（《个人信息保护法》第二十八条至第二十九条，2021年11月1日起施行）；"
        "须提供刷脸以外的出入方式（最高人民法院司法解释第十条，2021年8月1日起施行）",
    "copied out of the terminals' records": "从终端的记录中拷贝出来",
    "Origin claimed by the seller, not checked by anyone": "来源系卖家自称，无人核查",
    "Employers' and property managers' data-handling rules and access controls against insiders":
        "用人单位和物业的数据处理规定，以及防范内部人员的访问控制",
    "crawled from the web": "从网上爬取",
    "Seller A's own account of part of his set, not checked by anyone": "卖家A对其部分数据来源的自述，无人核查",
    "Site terms and data-set licences against scraping and reuse; anti-scraping controls":
        "禁止爬取和再利用的网站条款和数据集许可；反爬措施",
    "crawled from public posts": "从公开帖子中爬取",
    "Platform terms against scraping; anti-scraping controls": "禁止爬取的平台条款；反爬措施",
    "offered as a data set": "作为数据集出售",
    "No illegal sale of personal information (Cybersecurity Law Art. 44, from 1 Jun 2017); separate consent before "
    "giving personal information to another party (PIPL Art. 23, from 1 Nov 2021); no selling or profiting from "
    "biometric data (Illinois BIPA §15(c), for comparison)":
        "不得非法出售个人信息（《网络安全法》第四十四条，2017年6月1日起施行）；向他人提供个人信息前须取得单独同意"
        "（《个人信息保护法》第二十三条，2021年11月1日起施行）；不得出售生物识别信息或从中牟利（美国伊利诺伊州《生物识别"
        "信息隐私法》第15(c)条，作对比）",
    "offered per photo": "按张出售",
    "train algorithms, in the seller's own words": "训练算法（卖家原话）",
    "Lawful basis and consent for training on biometric data (PIPL Arts. 13, 28-29)":
        "用生物识别信息训练须有合法依据并取得同意（《个人信息保护法》第十三条、第二十八条至第二十九条）",
    "pass identity checks for loans or company registration": "在贷款或公司注册时通过身份核验",
    "Warned of in 2019 about unmasked photos sold with personal details, not shown for these":
        "2019年曾有人就连同个人信息出售的未戴口罩照片发出警告，这批照片没有相关证据",
    "Identity checks with liveness detection at lenders and registries": "放贷机构和登记机关采用带活体检测的身份核验",
    # -- case 2: masked-face recognition ------------------------------------------------------------------------------------
    "Two ways to recognise a masked face": "识别戴口罩人脸的两种方法",
    "A camera image of a masked face goes to face detection. Route (a) extracts features from the eyes and eyebrows "
    "and matches them. Route (b) reconstructs the hidden lower face, extracts an ordinary template and matches that. "
    "Both routes use models trained on masked-face photos, which gives a market in such photos a plausible demand.":
        "摄像头拍下的戴口罩人脸先经过人脸检测。路线（a）从眼睛和眉毛提取特征并进行比对。路线（b）重建被遮住的下半张脸，"
        "提取普通的特征模板再比对。两条路线都要用戴口罩人脸照片训练的模型，这让此类照片的市场有了看似合理的需求。",
    "Recognition system operator": "识别系统运营方",
    "Model developer": "模型开发方",
    "Person wearing a mask": "戴口罩的人",
    "Face detection": "人脸检测",
    "(a) Eye-region feature extraction": "（a）眼周区域特征提取",
    "Matching": "比对",
    "(b) Lower-face reconstruction": "（b）下半张脸重建",
    "Ordinary template extraction": "普通特征模板提取",
    "Enrolled templates": "已登记的特征模板",
    "Masked-face training photos": "戴口罩人脸训练照片",
    "Model training": "模型训练",
    "camera captures the face": "摄像头拍下人脸",
    "crop of the visible upper face": "裁出可见的上半张脸",
    "compare the eye region": "比对眼周区域",
    "crop of the whole face": "裁出整张脸",
    "fill in nose, mouth and chin": "补全鼻子、嘴和下巴",
    "compare the whole-face template": "比对整张脸的特征模板",
    "candidates to compare against": "用来比对的候选",
    "learn what a masked face looks like": "学习戴口罩的人脸是什么样子",
    "trained eye-region model": "训练好的眼周区域模型",
    "trained reconstruction model": "训练好的重建模型",
    # -- figures.py: the lab figures ----------------------------------------------------------------------------------------
    "All 84 points": "全部84个点",
    "Upper face only (a mask): 35 points": "只有上半张脸（戴口罩）：35个点",
    "lower face": "下半张脸",
    "hidden by the mask": "被口罩遮住",
    "upper face": "上半张脸",
    "all 84 points": "全部84个点",
    "upper face (35)": "上半张脸（35个点）",
    "{region}, noise {noise}": "{region}，噪声 {noise}",
    "people in the gallery": "比对库中的人数",
    "rank-1 identification accuracy": "首位识别准确率",
    "Within one service": "同一服务内",
    "same person": "同一个人",
    "different people": "不同的人",
    "Across two services": "跨两个服务",
    "same person, two keys": "同一个人，两把密钥",
    "After revocation": "撤销之后",
    "leaked code vs new key": "泄露的编码与新密钥",
    "Hamming distance": "汉明距离",
    "comparisons": "比对次数",
}


def text(english: str, lang: str = "en") -> str:
    """``english`` in ``lang`` ("en" or "zh"); a missing Chinese text is a KeyError that names it."""
    if lang == "en":
        return english
    if lang != "zh":
        raise ValueError(f"unknown language {lang!r}; use 'en' or 'zh'")
    try:
        return ZH[english]
    except KeyError:
        raise KeyError(f"no Chinese text for {english!r}: add it to facelab/zh.py") from None
