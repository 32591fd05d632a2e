package io.rotnet.devstack;

/** An error answer of the embedded registry, shaped like Confluent's {@code {error_code, message}}. */
final class RegistryError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final int errorCode;

  RegistryError(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  int httpStatus() {
    return httpStatus;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryError subjectNotFound(String subject) {
    return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryError versionNotFound(String version) {
    return new RegistryError(404, 40402, "Version " + version + " not found.");
  }

  static RegistryError schemaNotFound(String what) {
    return new RegistryError(404, 40403, "Schema " + what + " not found");
  }

  static RegistryError invalidSchema(String why) {
    return new RegistryError(422, 42201, "Invalid schema: " + why);
  }

  static RegistryError invalidVersion(String version) {
    return new RegistryError(
        422, 42202, "The specified version '" + version + "' is not a valid version id.");
  }
}
