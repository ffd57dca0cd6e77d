/// `QnRtn`: the answer to a request (HJ 212-2017 Table 7), sent in a 9011 packet.
public enum RequestReturnCode: Sendable, Hashable, CustomStringConvertible {
    /// 1 准备执行请求 / ready to execute.
    case ready
    /// 2 请求被拒绝 / request refused.
    case refused
    /// 3 PW 错误 / password wrong.
    case passwordWrong
    /// 4 MN 错误 / MN wrong.
    case mnWrong
    /// 5 ST 错误 / ST wrong.
    case stWrong
    /// 6 Flag 错误 / Flag wrong.
    case flagWrong
    /// 7 QN 错误 / QN wrong.
    case qnWrong
    /// 8 CN 错误 / CN wrong.
    case cnWrong
    /// 9 CRC 校验错误 / CRC wrong.
    case crcWrong
    /// 100 未知错误 / unknown error.
    case unknown
    /// Any other number a device sends.
    case other(Int)

    public init(code: Int) {
        switch code {
        case 1: self = .ready
        case 2: self = .refused
        case 3: self = .passwordWrong
        case 4: self = .mnWrong
        case 5: self = .stWrong
        case 6: self = .flagWrong
        case 7: self = .qnWrong
        case 8: self = .cnWrong
        case 9: self = .crcWrong
        case 100: self = .unknown
        default: self = .other(code)
        }
    }

    public var code: Int {
        switch self {
        case .ready: return 1
        case .refused: return 2
        case .passwordWrong: return 3
        case .mnWrong: return 4
        case .stWrong: return 5
        case .flagWrong: return 6
        case .qnWrong: return 7
        case .cnWrong: return 8
        case .crcWrong: return 9
        case .unknown: return 100
        case .other(let code): return code
        }
    }

    public var description: String {
        switch self {
        case .ready: return "1 准备执行请求 / ready"
        case .refused: return "2 请求被拒绝 / refused"
        case .passwordWrong: return "3 PW 错误 / password wrong"
        case .mnWrong: return "4 MN 错误 / MN wrong"
        case .stWrong: return "5 ST 错误 / ST wrong"
        case .flagWrong: return "6 Flag 错误 / Flag wrong"
        case .qnWrong: return "7 QN 错误 / QN wrong"
        case .cnWrong: return "8 CN 错误 / CN wrong"
        case .crcWrong: return "9 CRC 校验错误 / CRC wrong"
        case .unknown: return "100 未知错误 / unknown error"
        case .other(let code): return "\(code) 未定义 / undefined"
        }
    }
}

/// `ExeRtn`: the result of executing a request (HJ 212-2017 Table 6), sent in a 9012 packet.
public enum ExecutionReturnCode: Sendable, Hashable, CustomStringConvertible {
    /// 1 执行成功 / success.
    case success
    /// 2 执行失败，但不知道原因 / failed, reason unknown.
    case failed
    /// 3 命令请求条件错误 / request condition error.
    case conditionError
    /// 4 通讯超时 / communication timeout.
    case timeout
    /// 5 系统繁忙不能执行 / system busy.
    case busy
    /// 6 系统故障 / system fault.
    case systemFault
    /// 100 没有数据 / no data.
    case noData
    /// Any other number a device sends.
    case other(Int)

    public init(code: Int) {
        switch code {
        case 1: self = .success
        case 2: self = .failed
        case 3: self = .conditionError
        case 4: self = .timeout
        case 5: self = .busy
        case 6: self = .systemFault
        case 100: self = .noData
        default: self = .other(code)
        }
    }

    public var code: Int {
        switch self {
        case .success: return 1
        case .failed: return 2
        case .conditionError: return 3
        case .timeout: return 4
        case .busy: return 5
        case .systemFault: return 6
        case .noData: return 100
        case .other(let code): return code
        }
    }

    public var description: String {
        switch self {
        case .success: return "1 执行成功 / success"
        case .failed: return "2 执行失败 / failed, reason unknown"
        case .conditionError: return "3 命令请求条件错误 / request condition error"
        case .timeout: return "4 通讯超时 / communication timeout"
        case .busy: return "5 系统繁忙 / system busy"
        case .systemFault: return "6 系统故障 / system fault"
        case .noData: return "100 没有数据 / no data"
        case .other(let code): return "\(code) 未定义 / undefined"
        }
    }
}
