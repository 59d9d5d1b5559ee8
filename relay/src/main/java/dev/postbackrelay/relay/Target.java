package dev.postbackrelay.relay;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;

/**
 * Which relay the commands talk to, and how they prove who they are: a bearer token (the local
 * stack, or {@code --url} with {@code --token}), or SigV4 with the standard AWS credential chain
 * (a deployed stack, whose admin routes are IAM-authorised).
 *
 * @param baseUrl the API's base URL, without a trailing slash
 * @param describe how the target was found, for error messages
 */
public record Target(URI baseUrl, Auth auth, String describe) {

  /** How admin requests are authenticated. */
  public sealed interface Auth {

    record Bearer(String token) implements Auth {}

    /** Signed for {@code execute-api} in {@code region} with credentials from {@code credentials}. */
    record SigV4(Region region, AwsCredentialsProvider credentials) implements Auth {}
  }

  /** The CloudFormation output that holds the API's URL (template.yaml's Outputs). */
  public static final String API_URL_OUTPUT = "ApiUrl";

  /** The running local stack, found through its {@link LocalStackFile}. */
  public static Target local(Map<String, String> env) throws RelayException {
    Path file = LocalStackFile.path(env);
    Optional<LocalStackFile.Contents> contents;
    try {
      contents = LocalStackFile.read(file);
    } catch (IOException e) {
      throw new RelayException(RelayException.UNREACHABLE, "cannot read " + file + ": " + e.getMessage());
    }
    LocalStackFile.Contents c = contents.orElseThrow(() -> new RelayException(RelayException.UNREACHABLE,
        "no local stack is running (" + file + " does not exist): start it with ./infra/run-local.sh"));
    return new Target(base(c.url()), new Auth.Bearer(c.adminToken()), "the local stack at " + c.url());
  }

  /** Any relay by URL, with its admin token. */
  public static Target url(String url, String token) throws RelayException {
    if (token == null || token.isBlank()) {
      throw new RelayException(RelayException.INVALID,
          "--url needs --token (or RELAY_ADMIN_TOKEN); for a deployed stack use --stack NAME instead");
    }
    return new Target(base(url), new Auth.Bearer(token), url);
  }

  /**
   * A deployed stack: its API URL from the stack's {@value #API_URL_OUTPUT} output, every admin
   * request signed with SigV4 (profiles, environment, SSO: the SDK's default chain).
   */
  public static Target stack(String stackName, String region) throws RelayException {
    Region r;
    try {
      r = region != null ? Region.of(region) : new DefaultAwsRegionProviderChain().getRegion();
    } catch (RuntimeException e) {
      throw new RelayException(RelayException.INVALID, "no AWS region: pass --region or set AWS_REGION");
    }
    AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    try (CloudFormationClient cfn = CloudFormationClient.builder().region(r).credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create()).build()) {
      String url = cfn.describeStacks(b -> b.stackName(stackName)).stacks().stream().findFirst()
          .flatMap(s -> s.outputs().stream().filter(o -> API_URL_OUTPUT.equals(o.outputKey())).findFirst())
          .map(Output::outputValue)
          .orElseThrow(() -> new RelayException(RelayException.NOT_FOUND,
              "stack " + stackName + " in " + r + " has no " + API_URL_OUTPUT + " output: is it a Postback Relay stack?"));
      return new Target(base(url), new Auth.SigV4(r, credentials), "stack " + stackName + " (" + r + ", " + url + ")");
    } catch (CloudFormationException e) {
      throw new RelayException(e.statusCode() == 400 ? RelayException.NOT_FOUND : RelayException.UNAUTHORIZED,
          "cannot describe stack " + stackName + " in " + r + ": " + e.awsErrorDetails().errorMessage()
              + " (check the stack name, --region, and that your AWS identity may call cloudformation:DescribeStacks)");
    } catch (RuntimeException e) {
      throw new RelayException(RelayException.UNAUTHORIZED, "cannot describe stack " + stackName + " in " + r + ": "
          + e.getMessage() + " (check AWS_PROFILE or your credentials; `aws sso login` for SSO profiles)");
    }
  }

  private static URI base(String url) throws RelayException {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    try {
      URI uri = URI.create(trimmed);
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new RelayException(RelayException.INVALID, "not an http(s) URL: " + url);
    }
  }
}
