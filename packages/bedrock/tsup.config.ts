export { default } from "../../tsup.integration";
