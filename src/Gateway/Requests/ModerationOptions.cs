using System.ComponentModel.DataAnnotations;

namespace AiPlatform.Gateway.Requests;

/// <summary>How a moderation request that names no model is routed.</summary>
public sealed class ModerationOptions
{
    public const string SectionName = "Gateway:Moderations";

    /// <summary>The model OpenAI's moderations endpoint uses when a request names none.</summary>
    public const string OpenAIDefaultModel = "omni-moderation-latest";

    /// <summary>
    /// The Gateway model (a <c>Gateway:Models</c> name) a moderation without <c>model</c> goes to; a request for it gets
    /// 400 when no such model is configured.
    /// </summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = $"{SectionName}:DefaultModel must name a model.")]
    public string DefaultModel { get; set; } = OpenAIDefaultModel;
}
