package io.rotnet.app;

import picocli.CommandLine.IVersionProvider;

/** Reports the version Maven wrote into the jar manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = RotnetCommand.class.getPackage().getImplementationVersion();
    return new String[] {"rotnet " + (version == null ? "(development build)" : version)};
  }
}
