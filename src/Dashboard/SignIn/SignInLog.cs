namespace AiPlatform.Dashboard.SignIn;

/// <summary>Sign-in events; the credential itself is never logged.</summary>
internal static partial class SignInLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Sign-in refused from {Address}: the credential does not open the admin API")]
    public static partial void Refused(ILogger logger, string address);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Sign-in from {Address} throttled after too many failures")]
    public static partial void Throttled(ILogger logger, string address);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Sign-in cannot be checked: UsageApi answered {Reason}")]
    public static partial void UsageApiUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Signed in from {Address}")]
    public static partial void SignedIn(ILogger logger, string address);
}
