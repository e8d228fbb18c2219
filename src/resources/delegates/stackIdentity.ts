// The provider object of a stack's StackIdentity, as this module's exports (see ../delegate.ts).
import { delegateModule } from "../delegate";

export = delegateModule("StackIdentity");
