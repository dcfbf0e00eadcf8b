// Errors the API answers with: a status code and docker's `{"message": …}`.
// Services throw these; the server renders them once.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string) => new ApiError(400, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string) => new ApiError(409, message);
export const notModified = () => new ApiError(304, '');
export const serverError = (message: string) => new ApiError(500, message);

export const noSuchContainer = (ref: string) => notFound(`No such container: ${ref}`);
export const noSuchImage = (ref: string) => notFound(`No such image: ${ref}`);
export const noSuchVolume = (ref: string) => notFound(`get ${ref}: no such volume`);
export const noSuchNetwork = (ref: string) => notFound(`network ${ref} not found`);
export const noSuchExec = (ref: string) => notFound(`No such exec instance: ${ref}`);
