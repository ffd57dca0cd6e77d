/// The language of the pages: Chinese by default, English on request (`/lang/en`, a cookie).
enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    var htmlCode: String { self == .zh ? "zh-CN" : "en" }
}

/// Every string the pages show, in both languages — THE table (server templates and the pages' scripts
/// both read it; `StringsTests` checks that every key has both).
enum Strings {
    static let table: [String: (zh: String, en: String)] = [
        // Frame and navigation.
        "app.name": ("蓝天", "Lantian"),
        "app.subtitle": ("生态环境攻坚指挥调度平台", "Pollution-campaign command platform"),
        "nav.public": ("空气质量", "Air quality"),
        "nav.dashboard": ("指挥大屏", "Command dashboard"),
        "nav.alerts": ("预警处置", "Alerts"),
        "nav.cases": ("问题台账", "Ledger"),
        "nav.field": ("我的任务", "My tasks"),
        "nav.admin": ("系统管理", "Administration"),
        "nav.login": ("登录", "Sign in"),
        "nav.logout": ("退出", "Sign out"),
        "nav.skip": ("跳到正文", "Skip to content"),
        "nav.language": ("English", "中文"),
        "nav.signedInAs": ("当前用户", "Signed in as"),
        "common.loading": ("加载中…", "Loading…"),
        "common.none": ("暂无", "None"),
        "common.error": ("加载失败", "Could not load"),
        "common.submit": ("提交", "Submit"),
        "common.note": ("说明", "Note"),
        "common.refresh": ("刷新", "Refresh"),
        "common.all": ("全部", "All"),
        "common.filter": ("筛选", "Filter"),
        "common.demo": (
            "演示模式：北京 12 个国控点为真实站点与坐标，历史数据为 2016 年 12 月真实监测值回放；指挥部、责任单位、人员与台账案件为演示数据。",
            "Demo mode: the twelve Beijing national stations are real, their data a replay of December 2016; HQ, units, people and cases are invented."
        ),
        "common.noMap": (
            "地图组件未安装（Debian 软件包 libjs-leaflet），以下以表格显示。",
            "The map library is not installed (Debian package libjs-leaflet); shown as a table below."
        ),
        "common.noChart": (
            "图表组件未安装（Debian 软件包 libjs-chart.js），以下以表格显示。",
            "The chart library is not installed (Debian package libjs-chart.js); shown as a table below."
        ),
        // AQI.
        "aqi.aqi": ("AQI", "AQI"),
        "aqi.category": ("类别", "Category"),
        "aqi.primary": ("首要污染物", "Primary pollutant"),
        "aqi.noData": ("无有效数据", "No valid data"),
        "aqi.hour": ("时段", "Hour"),
        "aqi.legend": ("AQI 图例（HJ 633-2012）", "AQI legend (HJ 633-2012)"),
        // Public page.
        "public.title": ("实时空气质量", "Air quality now"),
        "public.stations": ("站点", "Stations"),
        "public.count": ("共 {n} 个站点", "{n} stations"),
        "public.regions": ("区域排名", "Regions"),
        "public.empty": (
            "尚无站点。运行 lantian serve --demo 可载入北京演示数据。", "No stations yet. lantian serve --demo loads the Beijing demo."
        ),
        "station.code": ("编码", "Code"),
        "station.name": ("名称", "Name"),
        "station.kind": ("类型", "Kind"),
        "station.region": ("所在区域", "Region"),
        "station.status": ("状态", "Status"),
        "station.offline": ("离线（3 小时无数据）", "Offline (no data for 3 hours)"),
        // Ranking.
        "ranking.title": ("区域空气质量排名", "Regions side by side"),
        "ranking.region": ("区域", "Region"),
        "ranking.now": ("实时 AQI", "AQI now"),
        "ranking.month": ("本月 PM2.5（μg/m³）", "PM2.5 this month (μg/m³)"),
        "ranking.validDays": ("有效天数", "Valid days"),
        "ranking.rank": ("本月排名", "Rank"),
        "ranking.change": ("同比", "On last year"),
        "ranking.noLastYear": ("无去年同期数据", "No data last year"),
        "ranking.explain": (
            "本月为月初至昨日各日 PM2.5 日均值的均值；考核排名以整月综合指数为准（HJ 663）。",
            "This month: the mean of the daily PM2.5 means from the 1st to yesterday; the assessment ranks whole months by the composite index (HJ 663)."
        ),
        // Dashboard.
        "dashboard.title": ("指挥大屏", "Command dashboard"),
        "dashboard.map": ("站点地图", "Station map"),
        "dashboard.feed": ("实时预警", "Live alerts"),
        "dashboard.feedEmpty": ("暂无新预警；新预警将即时推送到此。", "No new alerts; new ones appear here as they happen."),
        "dashboard.overdue": ("逾期台账", "Overdue cases"),
        "dashboard.heavy": ("重污染天气", "Heavy pollution"),
        "dashboard.heavyNone": (
            "当前无区域 AQI 超过 200（依据实时区域 AQI；预警级别以重污染应急预案发布为准）。",
            "No region's AQI is above 200 now (from the live regional AQI; alert levels are declared under the heavy-pollution plan)."
        ),
        "dashboard.heavyNow": (
            "以下区域实时 AQI 超过 200（重度及以上污染）：",
            "These regions have an AQI above 200 now (heavy pollution or worse):"
        ),
        "dashboard.openAlerts": ("在办预警", "Open alerts"),
        "dashboard.live": ("已连接实时推送", "Live"),
        "dashboard.offline": ("实时推送已断开，正在重连…", "Live push lost, reconnecting…"),
        "layer.regions": ("行政区划", "Regions"),
        "layer.zones": ("国控点管控区", "Control zones"),
        "layer.stations": ("站点", "Stations"),
        // Station page.
        "station.latest": ("最新监测值", "Latest values"),
        "station.pollutant": ("项目", "Pollutant"),
        "station.value": ("数值", "Value"),
        "station.time": ("时间", "Time"),
        "station.flag": ("数据标记", "Flag"),
        "station.chart24": ("近 24 小时", "Last 24 hours"),
        "station.chart30": ("近 30 天（日均值）", "Last 30 days (daily means)"),
        "station.aqiHistory": ("AQI 历史（小时）", "AQI history (hourly)"),
        "station.gaps": ("缺测时段留空显示，不连线、不补值。", "Missing hours are left blank: never joined, never filled."),
        // Alerts.
        "alerts.title": ("预警处置", "Alerts"),
        "alerts.status": ("状态", "Status"),
        "alerts.station": ("站点", "Station"),
        "alerts.kind": ("类型", "Kind"),
        "alerts.message": ("内容", "Message"),
        "alerts.opened": ("发现时间", "Opened"),
        "alerts.deadline": ("处置时限", "Deadline"),
        "alerts.actions": ("操作", "Actions"),
        "alerts.acknowledge": ("签收", "Acknowledge"),
        "alerts.handle": ("处置", "Handle"),
        "alerts.verify": ("核查", "Verify"),
        "alerts.close": ("办结", "Close"),
        "alerts.cause": ("原因", "Cause"),
        "alerts.cause.source_stopped": ("已查到污染源并制止", "Source found and stopped"),
        "alerts.cause.instrument_fault": ("仪器故障", "Instrument fault"),
        "alerts.cause.suspected_tampering": ("疑似人为干扰", "Suspected tampering"),
        "alerts.cause.explained": ("已查明，无违法", "Explained, no violation"),
        "alerts.overdue": ("已超时", "Overdue"),
        "alerts.empty": ("没有待处置的预警。", "No alerts to handle."),
        // Ledger.
        "cases.title": ("问题台账", "Ledger"),
        "cases.number": ("编号", "Number"),
        "cases.source": ("来源", "Source"),
        "cases.category": ("类别", "Category"),
        "cases.status": ("状态", "Status"),
        "cases.unit": ("责任单位", "Responsible unit"),
        "cases.deadline": ("整改期限", "Deadline"),
        "cases.overdue": ("逾期", "Overdue"),
        "cases.onlyOverdue": ("仅看逾期", "Overdue only"),
        "cases.empty": ("没有符合条件的案件。", "No cases match."),
        "cases.timeline": ("办理过程", "Timeline"),
        "cases.evidence": ("证据材料", "Evidence"),
        "cases.actions": ("可办理的操作", "What you can do next"),
        "cases.noActions": ("当前没有您可办理的操作。", "Nothing for you to do now."),
        "cases.description": ("问题描述", "Description"),
        "cases.address": ("地点", "Address"),
        "cases.measures": ("整改措施", "Measures"),
        "cases.outcome": ("办结方式", "Outcome"),
        "cases.revisitDue": ("回访日期", "Revisit due"),
        "cases.rebounds": ("反弹次数", "Rebounds"),
        "cases.upload": ("上传照片或文件", "Upload a photo or file"),
        "cases.photo": ("拍照或选择照片", "Take or choose a photo"),
        "cases.workingDays": ("整改期限（工作日）", "Deadline (working days)"),
        "cases.outcomeChoice": ("如实销号原因", "Reason for closing without a fix"),
        "cases.outcome.not_our_responsibility": ("非本单位职责", "Not our responsibility"),
        "cases.outcome.duplicate": ("重复件", "Duplicate"),
        "cases.outcome.cannot_be_fixed": ("无法整改（已采取措施）", "Cannot be fixed (measures taken)"),
        "cases.newDeadline": ("新期限（YYYY-MM-DD）", "New deadline (YYYY-MM-DD)"),
        "cases.open": ("查看", "Open"),
        // Field pages.
        "field.title": ("我的任务", "My tasks"),
        "field.alerts": ("我的预警", "My alerts"),
        "field.cases": ("我的台账", "My cases"),
        "field.ackOne": ("一键签收", "Acknowledge"),
        "field.done": ("已提交", "Sent"),
        // Admin.
        "admin.title": ("系统管理", "Administration"),
        "admin.stations": ("站点", "Stations"),
        "admin.regions": ("区域与边界", "Regions and boundaries"),
        "admin.regionsUpload": ("上传 GeoJSON（全部成功或全部不导入）", "Upload GeoJSON (all or nothing)"),
        "admin.units": ("责任单位", "Units"),
        "admin.people": ("人员", "People"),
        "admin.users": ("用户与角色", "Users and roles"),
        "admin.rules": ("预警规则", "Alert rules"),
        "admin.routing": ("台账路由表", "Ledger routing"),
        "admin.routingDefault": ("未设路由：一律交属地乡镇（街道）。", "No routes: everything goes to the township."),
        "admin.uploaded": ("已导入", "Imported"),
        // Statuses and steps.
        "status.alert.pending": ("待签收", "To acknowledge"),
        "status.alert.acknowledged": ("已签收", "Acknowledged"),
        "status.alert.handled": ("已处置（待核查）", "Handled (to verify)"),
        "status.alert.verified": ("已核查", "Verified"),
        "status.alert.closed": ("已办结", "Closed"),
        "status.case.new": ("新建", "New"),
        "status.case.assigned": ("已交办", "Assigned"),
        "status.case.rectifying": ("整改中", "Rectifying"),
        "status.case.submitted": ("待核查", "Awaiting verification"),
        "status.case.closed": ("已销号", "Closed"),
        "step.assign": ("交办", "Assign"),
        "step.start_rectifying": ("开始整改", "Start rectifying"),
        "step.submit": ("提交核查", "Submit for verification"),
        "step.return": ("退回整改", "Return for rectification"),
        "step.close": ("核查销号", "Verify and close"),
        "step.close_not_fixed": ("如实销号", "Close honestly, not fixed"),
        "step.request_extension": ("申请延期", "Ask for more time"),
        "step.grant_extension": ("批准延期", "Grant more time"),
        "step.revisit_passed": ("回访通过", "Revisit passed"),
        "step.revisit_failed": ("回访反弹", "Revisit: it came back"),
        "alerts.return": ("退回", "Return"),
        "alerts.returnNote": ("核查不通过", "Not verified"),
        "station.missing": ("{n} / 24 小时缺测", "{n} of 24 hours missing"),
        "station.complete": ("24 小时数据完整", "All 24 hours present"),
        // Column headings of the administration tables.
        "col.code": ("编码", "Code"),
        "col.name": ("名称", "Name"),
        "col.kind": ("类型", "Kind"),
        "col.region": ("区域", "Region"),
        "col.status": ("状态", "Status"),
        "col.level": ("层级", "Level"),
        "col.parent": ("上级", "Parent"),
        "col.unit": ("单位", "Unit"),
        "col.title": ("职务", "Title"),
        "col.username": ("用户名", "Username"),
        "col.person": ("姓名", "Name"),
        "col.role": ("角色", "Role"),
        "col.disabled": ("停用", "Disabled"),
        "col.id": ("编号", "ID"),
        "col.enabled": ("启用", "Enabled"),
        "col.severity": ("严重程度", "Severity"),
        "col.categories": ("类别", "Categories"),
        "col.regions": ("区域", "Regions"),
        "col.cooperating": ("配合单位", "Cooperating units"),
        "admin.township": ("属地乡镇（街道）", "The township"),
        "admin.dryRun": ("试运行（只检查，不导入）", "Dry run (check only)"),
        "admin.enable": ("启用", "Enable"),
        "admin.disable": ("停用", "Disable"),
        "admin.save": ("保存", "Save"),
        "admin.saved": ("已保存", "Saved"),
        "admin.routingEdit": ("路由表（JSON，按顺序第一条匹配者生效）", "Routing table (JSON; the first matching route decides)"),
        "admin.newUser": ("新建用户", "New user"),
        "admin.password": ("初始密码（至少 10 个字符）", "Initial password (10+ characters)"),
        "admin.unitCode": ("单位编码（可空）", "Unit code (optional)"),
        "admin.personId": ("人员编号（可空）", "Person id (optional)"),
        "admin.created": ("已创建", "Created"),
        // Errors.
        "error.forbidden": ("您的角色无权查看此页面。", "Your role may not see this page."),
    ]

    /// The table in one language, keyed as above with `_` for `.` (so templates can write `#(t.nav_alerts)`
    /// and scripts `t("nav_alerts")`).
    static func dictionary(_ language: Language) -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: table.map { key, value in
                (key.replacingOccurrences(of: ".", with: "_"), language == .zh ? value.zh : value.en)
            })
    }
}
