namespace AiPlatform.InferenceWorker.Admission;

/// <summary>Admission control's figures at one moment: running and waiting requests and their bounds.</summary>
internal readonly record struct AdmissionLoad(int Running, int Waiting, int MaxRunning, int MaxWaiting);
