namespace Serverless.LocalHost;

/// <summary>
/// DTFx client-side serialization through the Durable Task SDK's System.Text.Json converter, the one the shimmed
/// worker uses: DTFx's default Newtonsoft converter adds $type and breaks typed inputs.
/// </summary>
public sealed class SdkDataConverter(Microsoft.DurableTask.DataConverter inner) : DurableTask.Core.Serializing.DataConverter
{
    public override string Serialize(object value) => inner.Serialize(value) ?? "null";

    public override string Serialize(object value, bool formatted) => Serialize(value);

    public override object Deserialize(string data, Type objectType) => inner.Deserialize(data, objectType)!;
}
