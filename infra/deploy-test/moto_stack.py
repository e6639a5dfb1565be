#!/usr/bin/env python3
"""Deploys template.yaml into a moto server on 127.0.0.1, as CloudFormation would, for the deploy-shaped test.

Used by infra/local's DeployedStackTest (personae.local.deployed); it needs python3 with moto (server mode) and
aws-sam-translator (both come with cfn-lint here). What it does:

1. Transforms the SAM template with aws-sam-translator (SAM policy templates expanded, Globals merged) and resolves
   the intrinsic functions (Ref, Fn::Sub, Fn::GetAtt, Fn::Join) with CloudFormation-like physical names.
2. Starts moto in this process on 127.0.0.1 (a free port) and creates what the stack creates and moto can hold: the
   bucket with its notification configuration, the table, every IAM role with exactly its inline policies and
   managed policy ARNs (AWS managed policies are loaded), and the state machine with its substituted definition.
   Lambda functions are not created in moto (that needs Docker): the test runs each one as its own JVM, with the
   credentials of an STS session of the function's role (AssumeRole), so each process carries exactly its role's
   policies.
3. Switches IAM enforcement on (moto's INITIAL_NO_AUTH_ACTION_COUNT = 0: every later request needs a valid
   signature and an allowing policy).
4. Prints ONE JSON line on stdout (endpoint, functions with environment, credentials and policies, state machine,
   bucket, table, Lambda permissions, harness credentials) and serves until stdin closes.

Four small additions to moto, all in this file:
- moto checks DynamoDB and Step Functions actions against the resource "*" (only S3 gets real ARNs), which no
  resource-scoped policy matches; the _determine_resource hooks below give it the table, state machine or execution
  ARN of the request, as AWS evaluates them.
- moto checks signatures against the decoded query string (an S3 list with prefix=a/b/ fails); it is re-encoded.
- every authorization decision is recorded (access key, action, resource, allowed) and served at GET /_personae/calls,
  so the test can tell which actions each function really used.
- the bucket's Lambda notifications are queued (moto would need Docker to invoke a Lambda) and served at
  GET /_personae/notifications: the test delivers them to the function, as S3 would. POST
  /_personae/executions/finish records the end of an execution the test ran (moto's own executions stay RUNNING).
"""
import argparse
import json
import os
import re
import sys
import threading

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")  # AWSLambdaBasicExecutionRole & co. resolve
os.environ.setdefault("AWS_ACCESS_KEY_ID", "deploy-setup")      # only for the setup calls, before enforcement
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "deploy-setup")

ACCOUNT = "123456789012"  # moto's default account
PARTITION = "aws"
SUFFIX = "DEPLOYTEST"     # stands in for CloudFormation's random suffix of generated names


def log(*args):
    print("moto_stack:", *args, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------ template

def transform(template_path, stack, region):
    os.environ["AWS_DEFAULT_REGION"] = region
    from samtranslator.translator.transform import transform as sam_transform
    from samtranslator.yaml_helper import yaml_parse

    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    definition_uri = None
    # as `sam package` does: local code and definition paths become S3 locations
    for r in template["Resources"].values():
        props = r.setdefault("Properties", {})
        if r["Type"] == "AWS::Serverless::Function":
            props["CodeUri"] = "s3://deploy-test/personae-lambda.jar"
        elif r["Type"] == "AWS::Serverless::StateMachine":
            definition_uri = props.get("DefinitionUri")
            props["DefinitionUri"] = "s3://deploy-test/personae.asl.json"
    template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)

    class NoManagedPolicyNames:  # the template uses ARNs only
        def load(self):
            return {}

    params = {"AWS::Region": region, "AWS::AccountId": ACCOUNT, "AWS::Partition": PARTITION,
              "AWS::StackName": stack}
    return sam_transform(template, params, NoManagedPolicyNames()), definition_uri


class Resolver:
    """Resolves intrinsic functions against CloudFormation-like physical names."""

    def __init__(self, template, stack, region):
        self.resources = template["Resources"]
        self.stack = stack
        self.region = region
        self.pseudo = {"AWS::Region": region, "AWS::AccountId": ACCOUNT, "AWS::Partition": PARTITION,
                       "AWS::StackName": stack, "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": None}

    def generated(self, logical):
        return f"{self.stack}-{logical}-{SUFFIX}"[:64]

    def props(self, logical):
        return self.resources[logical].get("Properties", {})

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        t = self.resources[name]["Type"]
        p = self.props(name)
        if t == "AWS::S3::Bucket":
            return self.resolve(p["BucketName"]) if "BucketName" in p else self.generated(name).lower()
        if t == "AWS::DynamoDB::Table":
            return self.resolve(p["TableName"]) if "TableName" in p else self.generated(name)
        if t == "AWS::Lambda::Function":
            return self.resolve(p["FunctionName"]) if "FunctionName" in p else self.generated(name)
        if t == "AWS::IAM::Role":
            return self.resolve(p["RoleName"]) if "RoleName" in p else self.generated(name)
        if t == "AWS::StepFunctions::StateMachine":
            return self.getatt(name, "Arn")
        if t == "AWS::Lambda::Version":
            return self.resolve(p["FunctionName"]) + ":1"
        if t == "AWS::Lambda::Alias":
            return self.resolve(p["FunctionName"]) + ":" + self.resolve(p["Name"])
        return f"{name}-{SUFFIX}".lower()

    def getatt(self, name, attr):
        t = self.resources[name]["Type"]
        p = self.props(name)
        if t == "AWS::Lambda::Function" and attr == "Arn":
            return f"arn:{PARTITION}:lambda:{self.region}:{ACCOUNT}:function:{self.ref(name)}"
        if t == "AWS::IAM::Role" and attr == "Arn":
            return f"arn:{PARTITION}:iam::{ACCOUNT}:role/{self.ref(name)}"
        if t == "AWS::StepFunctions::StateMachine":
            sm = self.resolve(p["StateMachineName"]) if "StateMachineName" in p else self.generated(name)
            if attr == "Name":
                return sm
            if attr == "Arn":
                return f"arn:{PARTITION}:states:{self.region}:{ACCOUNT}:stateMachine:{sm}"
        if t == "AWS::S3::Bucket" and attr == "Arn":
            return f"arn:{PARTITION}:s3:::{self.ref(name)}"
        if t == "AWS::Lambda::Version" and attr == "Version":
            return "1"
        if t == "AWS::DynamoDB::Table" and attr == "Arn":
            return f"arn:{PARTITION}:dynamodb:{self.region}:{ACCOUNT}:table/{self.ref(name)}"
        if t == "AWS::Events::Rule" and attr == "Arn":  # the account sweep's schedule: named, not created here
            rule = self.resolve(p["Name"]) if "Name" in p else self.generated(name)
            return f"arn:{PARTITION}:events:{self.region}:{ACCOUNT}:rule/{rule}"
        raise ValueError(f"Fn::GetAtt {name}.{attr} ({t}) is not supported by moto_stack.py")

    def sub(self, text, variables):
        def one(m):
            key = m.group(1)
            if key.startswith("!"):
                return "${" + key[1:] + "}"
            if key in variables:
                return str(self.resolve(variables[key]))
            if "." in key and key not in self.pseudo:
                logical, attr = key.split(".", 1)
                return str(self.getatt(logical, attr))
            return str(self.ref(key))
        return re.sub(r"\$\{([^}]+)}", one, text)

    def resolve(self, v):
        if isinstance(v, list):
            return [self.resolve(x) for x in v]
        if not isinstance(v, dict):
            return v
        if len(v) == 1:
            (k, arg), = v.items()
            if k == "Ref":
                return self.ref(arg)
            if k == "Fn::GetAtt":
                logical, attr = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.getatt(logical, attr)
            if k == "Fn::Sub":
                return self.sub(arg, {}) if isinstance(arg, str) else self.sub(arg[0], arg[1])
            if k == "Fn::Join":
                return arg[0].join(str(self.resolve(x)) for x in self.resolve(arg[1]))
            if k.startswith("Fn::"):
                raise ValueError(f"{k} is not supported by moto_stack.py")
        return {k: self.resolve(x) for k, x in v.items()}


# ------------------------------------------------------------------------------------------ moto

CALLS = []           # every authorization decision
NOTIFICATIONS = []   # S3 -> Lambda events waiting for delivery
LOCK = threading.Lock()


def patch_moto():
    from moto.dynamodb.responses import DynamoHandler
    from moto.iam.access_control import IAMRequestBase
    from moto.stepfunctions.responses import StepFunctionResponse
    from moto.events.responses import EventsHandler
    import moto.s3.notifications as s3_notifications

    def body_json(self):
        b = self.body
        if isinstance(b, dict):
            return b
        if isinstance(b, bytes):
            b = b.decode("utf-8")
        try:
            return json.loads(b) if b else {}
        except ValueError:
            return {}

    def dynamodb_resource(self):
        body = body_json(self)
        table = body.get("TableName")
        if not table:
            return "*"
        arn = f"arn:{PARTITION}:dynamodb:{self.region}:{self.current_account}:table/{table}"
        return arn + "/index/" + body["IndexName"] if body.get("IndexName") else arn

    def stepfunctions_resource(self):
        body = body_json(self)
        return body.get("executionArn") or body.get("stateMachineArn") or body.get("resourceArn") or "*"

    def events_resource(self):
        # PutEvents is authorized on the event bus each entry names (as AWS does), not on "*"
        entries = body_json(self).get("Entries") or []
        if not entries:
            return "*"
        bus = entries[0].get("EventBusName") or "default"
        if bus.startswith("arn:"):
            return bus
        return f"arn:{PARTITION}:events:{self.region}:{self.current_account}:event-bus/{bus}"

    DynamoHandler._determine_resource = dynamodb_resource
    StepFunctionResponse._determine_resource = stepfunctions_resource
    EventsHandler._determine_resource = events_resource

    original = IAMRequestBase.check_action_permitted

    def recording(self, resource):
        key = self._get_string_between("Credential=", "/", self._headers["Authorization"])
        entry = {"accessKeyId": key, "action": self._action, "resource": resource, "allowed": False}
        try:
            original(self, resource)
            entry["allowed"] = True
        finally:
            with LOCK:
                CALLS.append(entry)

    IAMRequestBase.check_action_permitted = recording

    # moto signs the query string as it received it decoded ("prefix=uploads/a/"), the SDKs sign it encoded
    # ("prefix=uploads%2Fa%2F"): re-encode it as SigV4 prescribes, or every S3 list with a prefix fails its signature
    from urllib.parse import quote, unquote
    original_request = IAMRequestBase._create_aws_request

    def canonical_query(self):
        request = original_request(self)
        path, _, query = request.url.partition("?")
        if query:
            pairs = [p.partition("=") for p in query.split("&")]
            request.url = path + "?" + "&".join(quote(unquote(k), safe="-_.~") + "=" + quote(unquote(v), safe="-_.~")
                                                for k, _, v in pairs)
        return request

    IAMRequestBase._create_aws_request = canonical_query

    def queue_lambda_event(account_id, event_body, fn_arn, region_name):
        with LOCK:
            NOTIFICATIONS.append({"functionArn": fn_arn, "event": event_body})

    s3_notifications._invoke_awslambda = queue_lambda_event


def control_app(moto_app):
    def finish_execution(doc):
        from moto.stepfunctions.models import stepfunctions_backends
        from moto.core.utils import utcnow
        arn = doc["executionArn"]
        region = arn.split(":")[3]
        execution = stepfunctions_backends[ACCOUNT][region].describe_execution(arn)
        execution.status = doc["status"]
        execution.stop_date = utcnow()
        execution.output = doc.get("output")
        execution.error = doc.get("error")
        execution.cause = doc.get("cause")

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_personae/"):
            return moto_app(environ, start_response)
        if path == "/_personae/calls":
            with LOCK:
                body = json.dumps(CALLS)
        elif path == "/_personae/notifications":
            with LOCK:
                body = json.dumps(NOTIFICATIONS)
                NOTIFICATIONS.clear()
        elif path == "/_personae/executions/finish":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            finish_execution(json.loads(environ["wsgi.input"].read(size)))
            body = "{}"
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b"{}"]
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body.encode("utf-8")]

    return app


def deploy(template, resolver, endpoint, region, definition_text):
    import boto3
    session = boto3.session.Session(region_name=region)
    client = lambda service: session.client(service, endpoint_url=endpoint)
    iam, sts, s3, ddb, sfn = client("iam"), client("sts"), client("s3"), client("dynamodb"), client("stepfunctions")
    res = template["Resources"]
    of_type = lambda t: [k for k, r in res.items() if r["Type"] == t]

    out = {"region": region, "account": ACCOUNT, "functions": {}, "permissions": []}

    for logical in of_type("AWS::IAM::Role"):
        p = resolver.resolve(resolver.props(logical))
        name = resolver.ref(logical)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(p["AssumeRolePolicyDocument"]))
        for policy in p.get("Policies", []):
            # SAM writes no Version (IAM then reads 2008-10-17, the same for statements without policy variables);
            # moto insists on one
            document = {"Version": "2012-10-17", **policy["PolicyDocument"]}
            iam.put_role_policy(RoleName=name, PolicyName=policy["PolicyName"], PolicyDocument=json.dumps(document))
        for arn in p.get("ManagedPolicyArns", []):
            iam.attach_role_policy(RoleName=name, PolicyArn=arn)

    for logical in of_type("AWS::DynamoDB::Table"):
        p = resolver.resolve(resolver.props(logical))
        ddb.create_table(TableName=resolver.ref(logical), KeySchema=p["KeySchema"],
                         AttributeDefinitions=p["AttributeDefinitions"],
                         BillingMode=p.get("BillingMode", "PROVISIONED"))
        out["table"] = resolver.ref(logical)

    for logical in of_type("AWS::StepFunctions::StateMachine"):
        p = resolver.resolve(resolver.props(logical))
        definition = definition_text
        for key, value in p.get("DefinitionSubstitutions", {}).items():
            definition = definition.replace("${" + key + "}", str(value))
        created = sfn.create_state_machine(name=resolver.getatt(logical, "Name"), definition=definition,
                                           roleArn=p["RoleArn"], type=p.get("StateMachineType", "STANDARD"))
        out["stateMachine"] = {"arn": created["stateMachineArn"], "name": resolver.getatt(logical, "Name"),
                               "substitutions": p.get("DefinitionSubstitutions", {})}

    for logical in of_type("AWS::Lambda::Function"):
        p = resolver.resolve(resolver.props(logical))
        role_name = p["Role"].split("/")[-1]
        role_props = resolver.resolve(resolver.props(next(k for k in of_type("AWS::IAM::Role")
                                                           if resolver.ref(k) == role_name)))
        session_creds = sts.assume_role(RoleArn=p["Role"], RoleSessionName=resolver.ref(logical)[:64],
                                        DurationSeconds=43200)["Credentials"]
        out["functions"][logical] = {
            "name": resolver.ref(logical), "arn": resolver.getatt(logical, "Arn"), "handler": p["Handler"],
            "memorySize": p.get("MemorySize", 128), "timeout": p.get("Timeout", 3),
            "environment": p.get("Environment", {}).get("Variables", {}),
            "role": role_name, "policies": role_props.get("Policies", []),
            "managedPolicyArns": role_props.get("ManagedPolicyArns", []),
            "credentials": {"accessKeyId": session_creds["AccessKeyId"],
                            "secretAccessKey": session_creds["SecretAccessKey"],
                            "sessionToken": session_creds["SessionToken"]}}

    for logical in of_type("AWS::Lambda::Permission"):
        p = resolver.resolve(resolver.props(logical))
        out["permissions"].append({"logicalId": logical, "action": p.get("Action"),
                                   "functionName": p.get("FunctionName"), "principal": p.get("Principal"),
                                   "sourceArn": p.get("SourceArn"), "sourceAccount": p.get("SourceAccount")})

    for logical in of_type("AWS::S3::Bucket"):
        p = resolver.resolve(resolver.props(logical))
        name = resolver.ref(logical)
        s3.create_bucket(Bucket=name)
        lambdas = p.get("NotificationConfiguration", {}).get("LambdaConfigurations", [])
        if lambdas:
            s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={
                "LambdaFunctionConfigurations": [
                    {"LambdaFunctionArn": c["Function"], "Events": [c["Event"]],
                     "Filter": {"Key": {"FilterRules": c.get("Filter", {}).get("S3Key", {}).get("Rules", [])}}}
                    for c in lambdas]})
        out["bucket"] = name
        out["bucketArn"] = resolver.getatt(logical, "Arn")
        out["bucketNotifications"] = [{"functionArn": c["Function"], "event": c["Event"],
                                       "filter": c.get("Filter", {}).get("S3Key", {}).get("Rules", [])}
                                      for c in lambdas]
        # not applied: DataBucketPolicy (moto does not evaluate bucket policies; it only denies plain HTTP)

    # the test's own identity (the operator: creates the account, puts files as `aws s3 cp` would, polls executions)
    iam.create_user(UserName="deploy-test-operator")
    iam.put_user_policy(UserName="deploy-test-operator", PolicyName="everything", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    key = iam.create_access_key(UserName="deploy-test-operator")["AccessKey"]
    out["operator"] = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--template", default="template.yaml")
    ap.add_argument("--stack", default="personae")
    ap.add_argument("--region", default="us-east-1")
    ap.add_argument("--transform-only", action="store_true", help="print the transformed, resolved template")
    args = ap.parse_args()

    template, definition_uri = transform(args.template, args.stack, args.region)
    resolver = Resolver(template, args.stack, args.region)
    if args.transform_only:
        print(json.dumps(resolver.resolve(template["Resources"]), indent=1))
        return
    with open(os.path.join(os.path.dirname(os.path.abspath(args.template)), definition_uri), encoding="utf-8") as f:
        definition_text = f.read()

    import logging
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from moto import settings
    patch_moto()
    server = make_server("127.0.0.1", 0, control_app(DomainDispatcherApplication(create_backend_app)), threaded=True)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"

    out = deploy(template, resolver, endpoint, args.region, definition_text)
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0  # IAM enforcement from here on
    out["endpoint"] = endpoint
    print(json.dumps(out), flush=True)
    log("deployed on", endpoint, "- serving until stdin closes")
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
