using Scorecard.Data.Common;

namespace Scorecard.Web.Components.Shared;

/// <summary>The field errors a Data-layer command returned, for showing beside each field of a form.</summary>
public sealed class FormErrors
{
    private IReadOnlyList<FieldError> errors = [];

    public bool Any => errors.Count > 0;

    /// <summary>Errors that belong to no field (shown above the form).</summary>
    public IEnumerable<string> General => errors.Where(e => e.Field == "").Select(e => e.Message);

    public void Set(IReadOnlyList<FieldError> value) => errors = value;

    public void Clear() => errors = [];

    public bool Has(string field) => errors.Any(e => e.Field == field);

    public string? For(string field) => errors.FirstOrDefault(e => e.Field == field)?.Message;
}
