namespace Research.Abstractions.Options;

/// <summary>Options of an algorithm that discounts future rewards; reward normalization takes its discount from here, as the zoo does.</summary>
public interface IDiscountedOptions
{
    /// <summary>The discount factor.</summary>
    double Gamma { get; }
}
