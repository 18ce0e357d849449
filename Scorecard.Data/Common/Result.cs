namespace Scorecard.Data.Common;

/// <summary>One problem with one field of a form (or one cell of an upload): the field's name and a plain-English message.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The outcome of a command: a value when it worked, field-level errors when the input was not acceptable.</summary>
public sealed record Result<T>(T? Value, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static Result<T> Ok(T value) => new(value, []);

    public static Result<T> Fail(IReadOnlyList<FieldError> errors) => new(default, errors);

    public static Result<T> Fail(string field, string message) => new(default, [new FieldError(field, message)]);

    /// <summary>The first message for a field, for showing beside it in a form.</summary>
    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field)?.Message;
}

/// <summary>Collects field errors while a command validates its input.</summary>
public sealed class Validator
{
    private readonly List<FieldError> errors = [];

    public IReadOnlyList<FieldError> Errors => errors;

    public bool IsValid => errors.Count == 0;

    public void Add(string field, string message) => errors.Add(new FieldError(field, message));

    public void Required(string field, string? value, string label, int maxLength = 200, int minLength = 1)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(field, $"{label} is required.");
        else if (value.Trim().Length > maxLength)
            Add(field, $"{label} must be at most {maxLength:N0} characters.");
        else if (value.Trim().Length < minLength)
            Add(field, $"{label} must be at least {minLength} characters.");
    }

    public void When(bool condition, string field, string message)
    {
        if (condition)
            Add(field, message);
    }
}
